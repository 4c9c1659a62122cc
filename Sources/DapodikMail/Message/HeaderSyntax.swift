// Header text as RFC 5322 and RFC 2047 want it: atoms, quoted strings, encoded-words, folding.

enum HeaderSyntax {
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
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"),
            UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"),
            UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Whether `text` can be written as is in an unstructured header (RFC 5322 §3.2.5): printable
    /// US-ASCII words separated by single spaces, none so long it could not be folded, and nothing
    /// a reader would take for an encoded-word (RFC 2047 §6.1).
    static func isPlain(_ text: String, firstRoom: Int) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.first, first != 0x20, bytes[bytes.count - 1] != 0x20 else { return false }
            var previous: UInt8 = 0
            var wordLength = 0
            var isFirstWord = true
            for byte in bytes {
                // Printable US-ASCII only; no "=?" (an encoded-word's start) and no run of spaces.
                guard byte >= 0x20, byte <= 0x7E, !(previous == 0x3D && byte == 0x3F),
                    !(previous == 0x20 && byte == 0x20)
                else { return false }
                if byte == 0x20 {
                    guard wordLength <= (isFirstWord ? min(firstRoom, continuationRoom) : continuationRoom) else {
                        return false
                    }
                    isFirstWord = false
                    wordLength = 0
                } else {
                    wordLength += 1
                }
                previous = byte
            }
            return wordLength <= (isFirstWord ? min(firstRoom, continuationRoom) : continuationRoom)
        }
    }

    /// The tokens of an unstructured header value (Subject, extra headers), to be joined by
    /// foldable spaces. Plain text keeps its words; anything else becomes encoded-words.
    /// `firstRoom` is the room left on the field's first line for the first token.
    static func unstructuredTokens(_ text: String, firstRoom: Int) -> [String] {
        if text.isEmpty { return [] }
        if isPlain(text, firstRoom: firstRoom) { return plainWords(text) }
        return encodedWords(text, firstRoom: firstRoom)
    }

    /// The words of plain text (``isPlain(_:firstRoom:)`` holds: printable ASCII, words separated by
    /// single spaces, none leading or trailing), cut at its space bytes: `text.split(separator: " ")`
    /// without the walk over characters. Text of one word is returned as it is.
    private static func plainWords(_ text: String) -> [String] {
        var contiguous = text
        return contiguous.withUTF8 { bytes in
            guard bytes.contains(0x20) else { return [text] }
            var words: [String] = []
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x20 {
                words.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
            }
            return words
        }
    }

    /// A display name as it is written: runs of spaces and tabs become one space, and none lead or
    /// trail. A phrase is words separated by white space (RFC 5322 §3.2.5) and readers collapse
    /// those runs, so writing them would only make what different programs show disagree.
    static func normalizedDisplayName(_ name: String) -> String {
        var utf8 = name
        switch utf8.withUTF8(normalizedASCIIName) {
        case .some(nil): return name
        case .some(let bytes?): return String(decoding: bytes, as: UTF8.self)
        // Beside non-ASCII text a space may belong to a character with a combining mark, which is
        // not a separator: split by characters.
        case nil: return name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        }
    }

    /// ``normalizedDisplayName(_:)`` of ASCII `bytes`: `.some(nil)` when they are already normal,
    /// `nil` when they are not all ASCII.
    private static func normalizedASCIIName(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]?? {
        var isNormal = true
        var previousIsBlank = true
        for byte in bytes {
            guard byte < 0x80 else { return nil }
            let isBlank = byte == 0x20 || byte == 0x09
            if isBlank && (previousIsBlank || byte == 0x09) { isNormal = false }
            previousIsBlank = isBlank
        }
        if previousIsBlank && !bytes.isEmpty { isNormal = false }
        if isNormal { return .some(nil) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return .some(out)
    }

    /// The tokens of a display name (RFC 5322 §3.2.5 `phrase`), after
    /// ``normalizedDisplayName(_:)``: atoms when every word is `atext`, a quoted string when the
    /// name is short printable ASCII with specials (such as `Dr. Budi`), encoded-words otherwise.
    static func phraseTokens(_ name: String, firstRoom: Int) -> [String] {
        let text = normalizedDisplayName(name)
        if text.isEmpty { return [] }
        guard isPlain(text, firstRoom: firstRoom) else { return encodedWords(text, firstRoom: firstRoom) }
        // Plain text is ASCII, so its characters are its bytes: every word is atext when every byte
        // but the separating spaces is.
        if text.utf8.allSatisfy({ $0 == 0x20 || isAtext($0) }) { return plainWords(text) }
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        quoted.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { quoted.append(UInt8(ascii: "\\")) }
            quoted.append(byte)
        }
        quoted.append(UInt8(ascii: "\""))
        return quoted.count <= firstRoom
            ? [String(decoding: quoted, as: UTF8.self)] : encodedWords(text, firstRoom: firstRoom)
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
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0x0F))
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
            let payload = useQ ? "Q?" + qEncode(current) : "B?" + base64(current)
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

    /// Appends one header field, folded: `name: token token …` with a CRLF inserted before a token
    /// that would carry the line past ``preferredLineLength`` characters (RFC 5322 §2.2.3). Tokens
    /// are never split, so an address or an encoded-word always stays whole. Ends with CRLF.
    static func appendField(_ name: String, _ tokens: [String], to out: inout [UInt8]) {
        // The first token goes on the name's line whatever its length; callers size it with
        // `firstRoom(after:)`.
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: ":"))
        let nameLength = name.utf8.count
        var lineLength = nameLength + 1
        for token in tokens {
            let length = token.utf8.count
            if lineLength + 1 + length > preferredLineLength && lineLength > nameLength + 1 {
                out.append(contentsOf: "\r\n ".utf8)
                lineLength = 1 + length
            } else {
                out.append(0x20)
                lineLength += 1 + length
            }
            out.append(contentsOf: token.utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
    }
}

func hexDigit(_ value: UInt8) -> Character {
    Character(Unicode.Scalar(value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10))
}

/// RFC 4648 §4 base64 with padding.
func base64(_ bytes: [UInt8]) -> String {
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
