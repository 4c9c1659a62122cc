// The byte-level fast path of the validating initializers. Addresses, usernames, identifiers and most
// names are ASCII, and for ASCII text the Unicode rules the initializers state reduce to byte tests:
// the only ASCII characters Unicode calls White_Space are U+0009–U+000D and U+0020, the only ASCII
// controls are U+0000–U+001F and U+007F, no ASCII character is a bidirectional control, and the only
// grapheme cluster of more than one ASCII scalar is CR LF. So each initializer reads ASCII input as
// bytes, without grapheme breaking, Unicode property look-ups or intermediate arrays, and keeps its
// Unicode-aware path for any other input. `ValidationEquivalenceTests` holds both to the old code.

extension UInt8 {
    /// Whether this ASCII byte is a character Unicode calls White_Space (tab, LF, VT, FF, CR, space).
    var isASCIIWhitespace: Bool { self == 0x20 || (0x09...0x0D).contains(self) }

    /// Whether this byte is an ASCII control character (general category Cc: U+0000–U+001F, U+007F).
    var isASCIIControl: Bool { self < 0x20 || self == 0x7F }

    /// Whether this byte is an ASCII digit `0`–`9`.
    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    /// Whether this byte is an ASCII upper-case letter `A`–`Z`.
    var isASCIIUppercase: Bool { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") }

    /// Whether this byte is an ASCII lower-case letter `a`–`z`.
    var isASCIILowercase: Bool { self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z") }

    /// This byte with an upper-case ASCII letter made lower-case, as `String.lowercased()` does.
    var asciiLowercased: UInt8 { isASCIIUppercase ? self | 0x20 : self }
}

extension UnsafeBufferPointer<UInt8> {
    /// The bounds of these bytes without leading and trailing ASCII white space (empty when there is
    /// nothing else).
    var asciiTrimmedBounds: Range<Int> {
        var start = 0
        var end = count
        while start < end, self[start].isASCIIWhitespace { start += 1 }
        while end > start, self[end - 1].isASCIIWhitespace { end -= 1 }
        return start..<end
    }

    /// The bytes in `range` as a string, upper-case ASCII letters made lower-case when `lowercased`.
    func asciiString(_ range: Range<Int>, lowercased: Bool = false) -> String {
        let slice = UnsafeBufferPointer(rebasing: self[range])
        guard lowercased, slice.contains(where: { $0.isASCIIUppercase }) else {
            return String(decoding: slice, as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: slice.count) { buffer in
            for index in slice.indices { buffer[index] = slice[index].asciiLowercased }
            return slice.count
        }
    }
}

extension String {
    /// `body`'s result on the string's UTF-8 bytes when they are all ASCII; `nil` otherwise.
    func withASCIIBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        var text = self
        return text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } ? body(bytes) : nil }
    }

    /// The string without leading and trailing white space: ASCII spaces, tabs, CR and LF, and the
    /// Unicode spaces a copy from a web page or a word processor brings along (such as U+00A0).
    ///
    /// A string whose first and last bytes are ASCII and not white space is returned as it is; ASCII
    /// text is trimmed byte by byte; only other text is trimmed by `Character` (a character is white
    /// space when its first scalar is).
    func trimmingWhitespace() -> String {
        guard let first = utf8.first, let last = utf8.last else { return "" }
        if first < 0x80, last < 0x80, !first.isASCIIWhitespace, !last.isASCIIWhitespace { return self }
        if let trimmed = withASCIIBytes({ bytes in bytes.asciiString(bytes.asciiTrimmedBounds) }) { return trimmed }
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
