extension EmailAddress {
    /// Validates an address given as UTF-8 bytes, as ``init(_:)`` validates the string they spell:
    /// the same accepted set, value and error. ASCII bytes (every address that can be valid) are
    /// parsed where they are, with no `String` made of them first; anything else goes through
    /// ``init(_:)`` (invalid UTF-8 as `String(decoding:as:)` repairs it).
    /// - Parameter bytes: The address as UTF-8.
    /// - Throws: ``ValidationError``, as ``init(_:)``.
    package init(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(ValidationError) {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            try self.init(checked: Self.parse(bytes))
        } else {
            try self.init(String(decoding: bytes, as: UTF8.self))
        }
    }
}
