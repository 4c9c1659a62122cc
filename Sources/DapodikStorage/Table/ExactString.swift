#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A string compared and hashed by its UTF-8 bytes, as an index value of a ``RecordTable``.
///
/// Swift's `==` on `String` holds canonically equivalent spellings equal (`"é"` as one code point or
/// as `e` plus a combining accent). PostgreSQL and the file store's files keep such values apart, and
/// the tables order by bytes, so the in-memory tables must key by bytes too: otherwise two records
/// could share one dictionary entry while the sorted list of values held both, and removing one left
/// a value without members.
///
/// The hash of the bytes is computed once, when the value is made: a commit makes its values before it
/// takes a store's lock, and inside a lookup or a dictionary's growth feeds one `Int` to the hasher.
struct ExactString: Hashable, Sendable {
    /// The string.
    let value: String
    /// The hash of `value`'s UTF-8 bytes (``hashUTF8(_:into:)``).
    private let bytesHash: Int

    init(_ value: String) {
        self.value = value
        var hasher = Hasher()
        hashUTF8(value, into: &hasher)
        bytesHash = hasher.finalize()
    }

    static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        lhs.bytesHash == rhs.bytesHash && utf8Equal(lhs.value, rhs.value)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(bytesHash) }

    /// The hash `Dictionary` and `Set` place the value by: the stored hash mixed with their seed,
    /// without a SipHash per lookup (see ``seededHash(_:seed:)``).
    func _rawHashValue(seed: Int) -> Int { seededHash(bytesHash, seed: seed) }
}

/// Whether two strings have the same UTF-8 bytes (no Unicode canonical equivalence).
func utf8Equal(_ a: String, _ b: String) -> Bool {
    let bytewise = a.utf8.withContiguousStorageIfAvailable { left in
        b.utf8.withContiguousStorageIfAvailable { right in
            left.count == right.count && (left.isEmpty || memoryEqual(left, right))
        }
    }
    return (bytewise ?? nil) ?? a.utf8.elementsEqual(b.utf8)
}

/// Feeds a string's UTF-8 bytes to `hasher`, followed by `0xFF` (a byte UTF-8 never contains), so
/// that consecutive strings hash apart (`"ab", "c"` and `"a", "bc"`).
func hashUTF8(_ string: String, into hasher: inout Hasher) {
    let hashed: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
    }
    if hashed == nil {
        for byte in string.utf8 { hasher.combine(byte) }
    }
    hasher.combine(0xFF as UInt8)
}

/// Byte equality of two buffers of the same, non-zero length.
private func memoryEqual(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
    memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0
}
