// The renderer and templates as they were before issue 15 made them cheap (main at e21e494), kept
// word for word apart from names, as the oracle the differential tests compare the fast path with.
// Test target only: nothing in Sources calls this.

import DapodikAccounts
import DapodikLanguage
import Foundation

@testable import DapodikMail

enum LegacyQuotedPrintable {
    /// The longest encoded line, without its CRLF (RFC 2045 §6.7 rule 5).
    static let maximumLineLength = 76

    /// Encodes `text` as quoted-printable UTF-8 with CRLF line ends.
    ///
    /// Every line break of the input (LF, CRLF or a lone CR) becomes a hard CRLF, and the result
    /// ends with one. Beyond what RFC 2045 requires, a `.` or the `F` of `From ` at the start of any
    /// encoded line is encoded too, so no mail system along the way can mistake it for the SMTP
    /// end of data (RFC 5321 §4.5.2) or an mbox separator and alter the line.
    static func encode(_ text: String) -> String {
        var lines: [[UInt8]] = [[]]
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D || byte == 0x0A {
                lines.append([])
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                lines[lines.count - 1].append(byte)
            }
            index += 1
        }
        if lines.count > 1, lines.last!.isEmpty { lines.removeLast() }

        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 2 + 16)
        for line in lines {
            encode(line: line, into: &out)
            out += [0x0D, 0x0A]
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func encode(line: [UInt8], into out: inout [UInt8]) {
        var column = 0
        for (position, byte) in line.enumerated() {
            let isLast = position == line.count - 1
            let literal: Bool
            switch byte {
            case 0x20, 0x09: literal = !isLast
            case UInt8(ascii: "="): literal = false
            case UInt8(ascii: "."): literal = column != 0
            case UInt8(ascii: "F"):
                literal = column != 0 || !line[position...].starts(with: Array("From ".utf8))
            case 33...126: literal = true
            default: literal = false
            }
            var token: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), hexByte(byte >> 4), hexByte(byte & 0x0F)]
            // A soft break ("=" CRLF) must fit on the line, unless this is the line's last token.
            let room = isLast ? maximumLineLength : maximumLineLength - 1
            if column + token.count > room {
                out += [UInt8(ascii: "="), 0x0D, 0x0A]
                column = 0
                if literal && (byte == UInt8(ascii: ".") || startsFrom(line, at: position)) {
                    token = [UInt8(ascii: "="), hexByte(byte >> 4), hexByte(byte & 0x0F)]
                }
            }
            out += token
            column += token.count
        }
    }

    private static func startsFrom(_ line: [UInt8], at position: Int) -> Bool {
        line[position...].starts(with: Array("From ".utf8))
    }

    private static func hexByte(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }
}

/// Text made safe for HTML element content and quoted attribute values: `&`, `<`, `>`, `"` and
/// `'` become character references (HTML Living Standard §13.1.4; OWASP XSS Prevention Rule #1).
func legacyEscapeHTML(_ text: String) -> String {
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
func legacyHTMLDocument(language: String, title: String, paragraphs: [String]) -> String {
    var html = "<!DOCTYPE html>\n<html lang=\"\(language)\">\n<head>\n<meta charset=\"utf-8\">\n"
    html += "<title>\(legacyEscapeHTML(title))</title>\n</head>\n"
    html += "<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222\">\n"
    for paragraph in paragraphs { html += paragraph + "\n" }
    html += "</body>\n</html>\n"
    return html
}

struct LegacyCivilTime: Equatable {
    var year: Int
    /// 1 = January.
    var month: Int
    var day: Int
    /// 0 = Sunday … 6 = Saturday.
    var weekday: Int
    var hour: Int
    var minute: Int
    var second: Int
    var secondsFromUTC: Int

    /// The reading of `date` at `secondsFromUTC`; fractions of a second are dropped (rounded down).
    init(_ date: Date, secondsFromUTC: Int) {
        let local = Int((date.timeIntervalSince1970).rounded(.down)) + secondsFromUTC
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        self.hour = secondOfDay / 3600
        self.minute = secondOfDay % 3600 / 60
        self.second = secondOfDay % 60
        self.secondsFromUTC = secondsFromUTC
        // 1970-01-01 was a Thursday.
        self.weekday = ((days % 7) + 7 + 4) % 7
        // Days to civil date: Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        self.day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        self.month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// RFC 5322 §3.3 `date-time` with English day and month names and a numeric zone, such as
    /// `Sun, 29 Nov 2026 10:17:00 +0700`.
    var rfc5322: String {
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let sign = secondsFromUTC < 0 ? "-" : "+"
        let offsetMinutes = abs(secondsFromUTC) / 60
        return
            "\(days[weekday]), \(day) \(months[month - 1]) \(legacyPad(year, 4)) \(legacyPad(hour)):\(legacyPad(minute)):\(legacyPad(second)) "
            + "\(sign)\(legacyPad(offsetMinutes / 60))\(legacyPad(offsetMinutes % 60))"
    }
}

func legacyPad(_ value: Int, _ width: Int = 2) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

enum LegacyHeaderSyntax {
    /// Folding happens before a line would pass this many characters. RFC 5322 §2.1.1 asks for at
    /// most 78; RFC 2047 §2 limits a line that holds an encoded-word to 76, so 76 serves both.
    static let preferredLineLength = 76
    /// The longest encoded-word (RFC 2047 §2).
    static let maximumEncodedWordLength = 75
    /// The room on a continuation line, after its leading space.
    static let continuationRoom = preferredLineLength - 1

    /// RFC 5322 §3.2.3 `atext`.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(byte)
        }
    }

    /// Whether `text` can be written as is in an unstructured header (RFC 5322 §3.2.5): printable
    /// US-ASCII words separated by single spaces, none so long it could not be folded, and nothing
    /// a reader would take for an encoded-word (RFC 2047 §6.1).
    static func isPlain(_ text: String, firstRoom: Int) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.first != 0x20, bytes.last != 0x20 else { return false }
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }), !text.contains("=?"), !text.contains("  ") else {
            return false
        }
        let words = text.split(separator: " ")
        return words[0].utf8.count <= firstRoom && words.allSatisfy { $0.utf8.count <= continuationRoom }
    }

    /// The tokens of an unstructured header value (Subject, extra headers), to be joined by
    /// foldable spaces. Plain text keeps its words; anything else becomes encoded-words.
    /// `firstRoom` is the room left on the field's first line for the first token.
    static func unstructuredTokens(_ text: String, firstRoom: Int) -> [String] {
        if text.isEmpty { return [] }
        if isPlain(text, firstRoom: firstRoom) { return text.split(separator: " ").map(String.init) }
        return encodedWords(text, firstRoom: firstRoom)
    }

    /// A display name as it is written: runs of spaces and tabs become one space, and none lead or
    /// trail. A phrase is words separated by white space (RFC 5322 §3.2.5) and readers collapse
    /// those runs, so writing them would only make what different programs show disagree.
    static func normalizedDisplayName(_ name: String) -> String {
        name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// The tokens of a display name (RFC 5322 §3.2.5 `phrase`), after
    /// ``normalizedDisplayName(_:)``: atoms when every word is `atext`, a quoted string when the
    /// name is short printable ASCII with specials (such as `Dr. Budi`), encoded-words otherwise.
    static func phraseTokens(_ name: String, firstRoom: Int) -> [String] {
        let text = normalizedDisplayName(name)
        if text.isEmpty { return [] }
        guard isPlain(text, firstRoom: firstRoom) else { return encodedWords(text, firstRoom: firstRoom) }
        let words = text.split(separator: " ")
        if words.allSatisfy({ $0.utf8.allSatisfy(isAtext) }) { return words.map(String.init) }
        var quoted = "\""
        for character in text {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        quoted.append("\"")
        return quoted.utf8.count <= firstRoom ? [quoted] : encodedWords(text, firstRoom: firstRoom)
    }

    // MARK: RFC 2047 encoded-words

    private static let prefix = "=?UTF-8?"
    /// Characters the Q encoding may leave as they are even inside a phrase (RFC 2047 §5 (3)).
    private static func isQLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "/"), 0x20:
            true
        default: false
        }
    }

    private static func qLength(_ bytes: [UInt8]) -> Int {
        bytes.reduce(0) { $0 + (isQLiteral($1) ? 1 : 3) }
    }

    private static func qEncode(_ bytes: [UInt8]) -> String {
        var out = ""
        for byte in bytes {
            if byte == 0x20 {
                out.append("_")
            } else if isQLiteral(byte) {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                out.append("=")
                out.append(legacyHexDigit(byte >> 4))
                out.append(legacyHexDigit(byte & 0x0F))
            }
        }
        return out
    }

    /// `text` as UTF-8 encoded-words of at most 75 characters each, split only between
    /// characters (RFC 2047 §5: "each 'encoded-word' MUST represent an integral number of
    /// characters"). Uses Q unless B is shorter. A grapheme cluster too long for one word (a long
    /// emoji sequence) is split between its Unicode scalars, which are whole characters of UTF-8.
    /// The first word is made short enough for `firstRoom`, the room left after the field name.
    static func encodedWords(_ text: String, firstRoom: Int = maximumEncodedWordLength) -> [String] {
        let allBytes = Array(text.utf8)
        let useQ = qLength(allBytes) <= (allBytes.count + 2) / 3 * 4
        let overhead = prefix.utf8.count + "Q?".utf8.count + "?=".utf8.count
        // Room for the encoded text of a word; B carries 3 octets in 4 characters. A very long
        // field name still leaves room for one 4-octet character.
        func limit(forWordLength length: Int) -> Int {
            let room = max(12, min(length, maximumEncodedWordLength) - overhead)
            return useQ ? room : room / 4 * 3
        }
        func cost(_ bytes: [UInt8]) -> Int { useQ ? qLength(bytes) : bytes.count }
        let firstLimit = limit(forWordLength: firstRoom)
        let fullLimit = limit(forWordLength: maximumEncodedWordLength)

        var units: [[UInt8]] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if cost(bytes) <= firstLimit {
                units.append(bytes)
            } else {
                for scalar in character.unicodeScalars { units.append(Array(String(scalar).utf8)) }
            }
        }
        var words: [String] = []
        var current: [UInt8] = []
        func flush() {
            guard !current.isEmpty else { return }
            let payload = useQ ? "Q?" + qEncode(current) : "B?" + legacyBase64(current)
            words.append(prefix + payload + "?=")
            current = []
        }
        for unit in units {
            if cost(current + unit) > (words.isEmpty ? firstLimit : fullLimit) { flush() }
            current += unit
        }
        flush()
        return words
    }

    // MARK: Folding

    /// The room for the first token of a field called `name`, after `name: `.
    static func firstRoom(after name: String) -> Int { preferredLineLength - name.utf8.count - 2 }

    /// One header field, folded: `name: token token …` with a CRLF inserted before a token that
    /// would carry the line past ``preferredLineLength`` characters (RFC 5322 §2.2.3). Tokens are
    /// never split, so an address or an encoded-word always stays whole. Ends with CRLF.
    static func field(_ name: String, _ tokens: [String]) -> String {
        // The first token goes on the name's line whatever its length; callers size it with
        // `firstRoom(after:)`.
        var out = name + ":"
        var lineLength = out.utf8.count
        for token in tokens {
            let length = token.utf8.count
            if lineLength + 1 + length > preferredLineLength && lineLength > name.utf8.count + 1 {
                out += "\r\n " + token
                lineLength = 1 + length
            } else {
                out += " " + token
                lineLength += 1 + length
            }
        }
        return out + "\r\n"
    }
}

func legacyHexDigit(_ value: UInt8) -> Character {
    Character(Unicode.Scalar(value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10))
}

/// RFC 4648 §4 base64 with padding.
func legacyBase64(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index < bytes.count {
        let b0 = UInt32(bytes[index])
        let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
        let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
        let group = b0 << 16 | b1 << 8 | b2
        out.append(alphabet[Int(group >> 18 & 63)])
        out.append(alphabet[Int(group >> 12 & 63)])
        out.append(index + 1 < bytes.count ? alphabet[Int(group >> 6 & 63)] : UInt8(ascii: "="))
        out.append(index + 2 < bytes.count ? alphabet[Int(group & 63)] : UInt8(ascii: "="))
        index += 3
    }
    return String(decoding: out, as: UTF8.self)
}

func legacyRandomHex(byteCount: Int, using generator: inout some RandomNumberGenerator) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(byteCount * 2)
    for _ in 0..<byteCount {
        let byte = UInt8.random(in: 0...255, using: &generator)
        bytes.append(digits[Int(byte >> 4)])
        bytes.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: bytes, as: UTF8.self)
}

func legacyCheckHeaderInput(_ value: String, field: String) throws(MailError) {
    for scalar in value.unicodeScalars where scalar == "\r" || scalar == "\n" || scalar.value == 0 {
        throw MailError.headerInjection(in: field)
    }
}

/// `MailMessage.rendered(using:)` as it was, with its checks.
func legacyRendered(
    _ message: MailMessage, using generator: inout some RandomNumberGenerator
) throws(MailError) -> RenderedMessage {
    try legacyValidate(message)
    let id = message.messageID ?? MessageID.random(onDomain: message.from.address.domain)
    var header = ""
    header += LegacyHeaderSyntax.field(
        "Date", [LegacyCivilTime(message.date, secondsFromUTC: message.dateSecondsFromUTC).rfc5322])
    header += legacyMailboxField("From", [message.from])
    if let replyTo = message.replyTo { header += legacyMailboxField("Reply-To", [replyTo]) }
    header += legacyMailboxField("To", message.to)
    header += legacyUnstructuredField("Subject", message.subject)
    header += LegacyHeaderSyntax.field("Message-ID", [id.description])
    header += LegacyHeaderSyntax.field("Auto-Submitted", ["auto-generated"])
    for field in message.extraHeaders {
        header += legacyUnstructuredField(field.name, field.value)
    }
    header += LegacyHeaderSyntax.field("MIME-Version", ["1.0"])

    var body = ""
    let textPart = LegacyQuotedPrintable.encode(message.textBody)
    if let htmlBody = message.htmlBody {
        let boundary = "=_" + legacyRandomHex(byteCount: 16, using: &generator)
        header += LegacyHeaderSyntax.field("Content-Type", ["multipart/alternative;", "boundary=\"\(boundary)\""])
        body += "This is a message in MIME format.\r\n"
        body += "\r\n--\(boundary)\r\n" + legacyTextPartHeader(subtype: "plain") + "\r\n" + textPart
        body += "\r\n--\(boundary)\r\n" + legacyTextPartHeader(subtype: "html") + "\r\n"
        body += LegacyQuotedPrintable.encode(htmlBody)
        body += "\r\n--\(boundary)--\r\n"
    } else {
        header += legacyTextPartHeader(subtype: "plain")
        body = textPart
    }
    return RenderedMessage(bytes: Array((header + "\r\n" + body).utf8), messageID: id)
}

private func legacyTextPartHeader(subtype: String) -> String {
    LegacyHeaderSyntax.field("Content-Type", ["text/\(subtype);", "charset=UTF-8"])
        + LegacyHeaderSyntax.field("Content-Transfer-Encoding", ["quoted-printable"])
}

private func legacyUnstructuredField(_ name: String, _ value: String) -> String {
    LegacyHeaderSyntax.field(
        name, LegacyHeaderSyntax.unstructuredTokens(value, firstRoom: LegacyHeaderSyntax.firstRoom(after: name)))
}

private func legacyMailboxField(_ name: String, _ mailboxes: [Mailbox]) -> String {
    var tokens: [String] = []
    for (index, mailbox) in mailboxes.enumerated() {
        var addressToken = mailbox.address.value
        let room = index == 0 ? LegacyHeaderSyntax.firstRoom(after: name) : LegacyHeaderSyntax.continuationRoom
        let nameTokens = LegacyHeaderSyntax.phraseTokens(mailbox.displayName ?? "", firstRoom: room)
        if !nameTokens.isEmpty {
            tokens += nameTokens
            addressToken = "<" + addressToken + ">"
        }
        tokens.append(index < mailboxes.count - 1 ? addressToken + "," : addressToken)
    }
    return LegacyHeaderSyntax.field(name, tokens)
}

private func legacyValidate(_ message: MailMessage) throws(MailError) {
    guard !message.to.isEmpty else {
        throw MailError(
            .noRecipients, field: "to", indonesian: "Email harus memiliki setidaknya satu penerima.",
            english: "The e-mail must have at least one recipient.")
    }
    try legacyCheckHeaderInput(message.subject, field: "subject")
    try legacyCheckHeaderInput(message.from.displayName ?? "", field: "from.displayName")
    if let replyTo = message.replyTo {
        try legacyCheckHeaderInput(replyTo.displayName ?? "", field: "replyTo.displayName")
    }
    for recipient in message.to {
        try legacyCheckHeaderInput(recipient.displayName ?? "", field: "to.displayName")
    }
    for field in message.extraHeaders {
        let bytes = Array(field.name.utf8)
        guard !bytes.isEmpty, bytes.count <= 76, bytes.allSatisfy({ $0 >= 33 && $0 <= 126 && $0 != 58 }) else {
            if field.name.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0.value == 0 }) {
                throw MailError.headerInjection(in: "header name")
            }
            throw MailError(
                .invalidHeaderName, field: "header",
                indonesian:
                    "Nama header \"\(field.name)\" tidak valid: gunakan huruf ASCII tanpa spasi atau titik dua.",
                english:
                    "The header name \"\(field.name)\" is not valid: use ASCII letters without spaces or colons.")
        }
        guard !MailMessage.reservedHeaderNames.contains(field.name.lowercased()) else {
            throw MailError(
                .reservedHeader, field: "header." + field.name,
                indonesian: "Header \(field.name) ditulis sendiri oleh pustaka dan tidak boleh ditambahkan.",
                english: "The \(field.name) header is written by the library and cannot be added.")
        }
        try legacyCheckHeaderInput(field.value, field: "header." + field.name)
    }
    guard message.dateSecondsFromUTC % 60 == 0, abs(message.dateSecondsFromUTC) <= 99 * 3600 + 59 * 60 else {
        throw MailError(
            .invalidTimeZoneOffset, field: "dateSecondsFromUTC",
            indonesian: "Selisih zona waktu tanggal email harus kelipatan menit dan paling banyak ±99.59 jam.",
            english: "The e-mail date's time-zone offset must be whole minutes and at most ±99:59 hours.")
    }
}

/// `MessageID`'s dot-atom check as it was.
func legacyIsDotAtom(_ text: Substring) -> Bool {
    guard !text.isEmpty, !text.hasPrefix("."), !text.hasSuffix("."), !text.contains("..") else { return false }
    return text.utf8.allSatisfy { $0 == UInt8(ascii: ".") || LegacyHeaderSyntax.isAtext($0) }
}
