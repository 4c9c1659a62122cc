/// Text made safe for HTML element content and quoted attribute values: `&`, `<`, `>`, `"` and
/// `'` become character references (HTML Living Standard §13.1.4; OWASP XSS Prevention Rule #1).
///
/// The escape works on characters (grapheme clusters): one of the five that shares its character
/// with a combining mark (`&` + U+0301) or a prepended one is not a lone `&` and stays as it is. Text
/// without any of the five is returned as it is; a special between ASCII neighbours is always a
/// character of its own, so only a special next to a non-ASCII scalar needs the character path.
func escapeHTML(_ text: String) -> String {
    var utf8 = text
    let escaped = utf8.withUTF8(escapedHTMLBytes)
    switch escaped {
    case .unchanged: return text
    case .escaped(let bytes): return String(decoding: bytes, as: UTF8.self)
    case .needsCharacters: return escapeHTMLByCharacter(text)
    }
}

private enum HTMLEscaping {
    case unchanged
    case escaped([UInt8])
    case needsCharacters
}

private func isHTMLSpecial(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
    default: false
    }
}

private func escapedHTMLBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> HTMLEscaping {
    guard let first = bytes.firstIndex(where: isHTMLSpecial) else { return .unchanged }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 32)
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<first]))
    for index in first..<bytes.count {
        let byte = bytes[index]
        guard isHTMLSpecial(byte) else {
            out.append(byte)
            continue
        }
        if (index > 0 && bytes[index - 1] >= 0x80) || (index + 1 < bytes.count && bytes[index + 1] >= 0x80) {
            return .needsCharacters
        }
        switch byte {
        case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
        case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
        case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
        case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
        default: out.append(contentsOf: "&#39;".utf8)
        }
    }
    return .escaped(out)
}

/// ``escapeHTML(_:)`` character by character, for text where a special has a non-ASCII neighbour.
private func escapeHTMLByCharacter(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// A small, self-contained HTML document: inline styles only, since mail programs drop `<style>`
/// and never load remote resources for us. Every piece of `paragraphs` is already escaped.
func htmlDocument(language: String, title: String, paragraphs: [String]) -> String {
    var html = htmlDocumentStart(language: language, title: title, capacity: 2048)
    for paragraph in paragraphs {
        html += paragraph
        html += "\n"
    }
    html += htmlDocumentEnd
    return html
}

/// The beginning of ``htmlDocument(language:title:paragraphs:)`` up to the opening `<body>` line, in
/// a string with room for `capacity` bytes.
func htmlDocumentStart(language: String, title: String, capacity: Int) -> String {
    var html = ""
    html.reserveCapacity(capacity)
    html += htmlDocumentHead(language: language)
    html += "<title>"
    html += escapeHTML(title)
    html += "</title>\n"
    html += htmlBodyStart
    return html
}

/// The lines of ``htmlDocumentStart(language:title:capacity:)`` before the `<title>` line.
func htmlDocumentHead(language: String) -> String {
    "<!DOCTYPE html>\n<html lang=\"" + language + "\">\n<head>\n<meta charset=\"utf-8\">\n"
}

/// The lines of ``htmlDocumentStart(language:title:capacity:)`` after the `<title>` line.
let htmlBodyStart =
    "</head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222\">\n"

/// The end of ``htmlDocument(language:title:paragraphs:)``, after the last paragraph's line.
let htmlDocumentEnd = "</body>\n</html>\n"
