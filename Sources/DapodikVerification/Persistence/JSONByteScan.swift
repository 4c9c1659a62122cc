/// Finds, eight bytes at a time, the next byte of a JSON string that needs attention: a quote, a
/// backslash, a control character (below U+0020) and, for the writer, a slash (`JSONEncoder` escapes it).
///
/// Each test is exact per byte (no carry crosses from one byte into the next), so the lowest flagged
/// byte of a word is the first such byte; the words are read as little-endian so that the lowest is
/// the first in memory on every platform.
enum JSONByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// The index of the first byte at or after `start` that is a quote, a backslash, below 0x20, or
    /// (when `slash`) a slash; `bytes.count` if there is none.
    static func firstSpecial(in bytes: UnsafeRawBufferPointer, from start: Int, slash: Bool) -> Int {
        var index = start
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            var flags = below0x20(word) | equal(word, UInt8(ascii: "\"")) | equal(word, UInt8(ascii: "\\"))
            if slash { flags |= equal(word, UInt8(ascii: "/")) }
            if flags != 0 { return index + flags.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                || (slash && byte == UInt8(ascii: "/"))
            {
                return index
            }
            index += 1
        }
        return index
    }

    /// Whether every byte of `bytes` is below 0x80.
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var bits: UInt64 = 0
        while index + 8 <= bytes.count {
            bits |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            bits |= UInt64(bytes[index])
            index += 1
        }
        return bits & highBits == 0
    }

    /// The high bit of each byte of `word` that is below 0x20.
    private static func below0x20(_ word: UInt64) -> UInt64 {
        // A byte's low seven bits plus 0x60 reach 0x80 exactly when they are at least 0x20; a byte with
        // its own high bit set is at least 0x80.
        ~(((word & lowBits) &+ 0x6060_6060_6060_6060) | word) & highBits
    }

    /// The high bit of each byte of `word` that equals `byte`.
    private static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        // A byte's low seven bits plus 0x7F reach 0x80 exactly when they are not all zero.
        return ~(((difference & lowBits) &+ lowBits) | difference) & highBits
    }
}
