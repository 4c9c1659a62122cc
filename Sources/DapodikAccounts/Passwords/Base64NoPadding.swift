/// Base64 with the standard alphabet of RFC 4648 §4 and no `=` padding, as the PHC string format
/// writes salts and hashes. Decoding is strict: only canonical encodings are read back (no
/// padding, no white space, no stray bits in the last character), so one hash has one string.
enum Base64NoPadding {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [UInt8: UInt8] = {
        var table: [UInt8: UInt8] = [:]
        for (index, byte) in alphabet.enumerated() { table[byte] = UInt8(index) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let chunk =
                UInt32(bytes[index]) << 16 | (remaining > 1 ? UInt32(bytes[index + 1]) << 8 : 0)
                | (remaining > 2 ? UInt32(bytes[index + 2]) : 0)
            let characters = min(remaining, 3) + 1
            for position in 0..<characters {
                output.append(alphabet[Int((chunk >> UInt32(18 - 6 * position)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ string: Substring) -> [UInt8]? {
        let characters = Array(string.utf8)
        guard characters.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < characters.count {
            let group = characters[index..<min(index + 4, characters.count)]
            var chunk: UInt32 = 0
            for (position, character) in group.enumerated() {
                guard let value = values[character] else { return nil }
                chunk |= UInt32(value) << UInt32(18 - 6 * position)
            }
            let byteCount = group.count - 1
            for position in 0..<byteCount {
                output.append(UInt8(truncatingIfNeeded: chunk >> UInt32(16 - 8 * position)))
            }
            // Bits below the last whole byte must be zero, or two strings would decode alike.
            let unusedBits = 24 - 8 * byteCount
            guard chunk & ((1 << UInt32(unusedBits)) - 1) == 0 else { return nil }
            index += 4
        }
        return output
    }
}
