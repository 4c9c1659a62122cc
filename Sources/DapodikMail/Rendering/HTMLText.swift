/// Text made safe for HTML element content and quoted attribute values: `&`, `<`, `>`, `"` and
/// `'` become character references (HTML Living Standard §13.1.4; OWASP XSS Prevention Rule #1).
func escapeHTML(_ text: String) -> String {
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
    var html = "<!DOCTYPE html>\n<html lang=\"\(language)\">\n<head>\n<meta charset=\"utf-8\">\n"
    html += "<title>\(escapeHTML(title))</title>\n</head>\n"
    html += "<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222\">\n"
    for paragraph in paragraphs { html += paragraph + "\n" }
    html += "</body>\n</html>\n"
    return html
}
