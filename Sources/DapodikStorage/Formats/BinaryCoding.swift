#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Appends little-endian fields to a byte buffer (the file formats' encoding).
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A string of at most 255 UTF-8 bytes, after a one-byte length.
    mutating func string8(_ value: String) {
        let utf8 = value.utf8
        u8(UInt8(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A string of at most 65,535 UTF-8 bytes, after a two-byte length.
    mutating func string16(_ value: String) {
        let utf8 = value.utf8
        u16(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// The bytes of `data` (copied at once: `Data`'s generic element-by-element append is slow).
    mutating func raw(_ data: Data) { data.withUnsafeBytes { raw($0) } }

    mutating func raw(_ data: UnsafeRawBufferPointer) { bytes.append(contentsOf: data) }

    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// Overwrites a 64-bit field written earlier.
    mutating func patch64(_ value: UInt64, at offset: Int) {
        precondition(offset >= 0 && offset + 8 <= bytes.count)
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self) }
    }

    /// Overwrites a 32-bit field written earlier.
    mutating func patch32(_ value: UInt32, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { source in
            for index in 0..<4 { bytes[offset + index] = source[index] }
        }
    }
}

/// Reads little-endian fields from a byte buffer; every read is bounds-checked.
struct ByteReader {
    /// Thrown when a field runs past the end of the buffer.
    struct Truncated: Error {}

    let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    private mutating func take(_ count: Int) throws(Truncated) -> Int {
        guard count >= 0, count <= remaining else { throw Truncated() }
        defer { position += count }
        return position
    }

    mutating func u8() throws(Truncated) -> UInt8 {
        bytes[try take(1)]
    }

    mutating func u16() throws(Truncated) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(2), as: UInt16.self))
    }

    mutating func u32() throws(Truncated) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(4), as: UInt32.self))
    }

    mutating func u64() throws(Truncated) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(8), as: UInt64.self))
    }

    mutating func string8() throws(Truncated) -> String {
        let count = Int(try u8())
        let start = try take(count)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]), as: UTF8.self)
    }

    mutating func string16() throws(Truncated) -> String {
        let count = Int(try u16())
        let start = try take(count)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]), as: UTF8.self)
    }

    /// Skips `count` bytes and returns where they start.
    mutating func skip(_ count: Int) throws(Truncated) -> Int {
        try take(count)
    }
}

func littleEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
}

func littleEndian64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
}
