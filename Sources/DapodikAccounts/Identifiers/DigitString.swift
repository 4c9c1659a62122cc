extension String {
    /// The decimal value of the ASCII digits in `offset..<offset + count`, or `nil` if any is not
    /// an ASCII digit. Full-width and other Unicode digits are not digits here: identifiers are
    /// ASCII.
    func asciiNumber(at offset: Int, count: Int) -> Int? {
        guard offset >= 0, count > 0, offset + count <= utf8.count else { return nil }
        var value = 0
        for byte in utf8.dropFirst(offset).prefix(count) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Whether the string is exactly `count` ASCII digits.
    func isASCIIDigits(count: Int) -> Bool {
        utf8.count == count && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
