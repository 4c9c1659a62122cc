// A key check value: tells two keys apart without revealing either.
extension CodeKey {
    /// The HKDF `info` label of the check value (see ``subkey(for:)``).
    static let checkValuePurpose = "dapodik-verification-key-check-v1"

    /// A short fingerprint of the key material, 16 lowercase hex digits (64 bits), safe to store
    /// beside the data the key protects.
    ///
    /// Stored where a key is used (a key file, a store), it detects a key whose material is not the
    /// one used before under the same ``id``: a key file replaced by another directory's, edited, or
    /// diverged between two processes. It is derived like every subkey (HKDF-Expand, RFC 5869
    /// §2.3), so it says nothing about the code digests or any other subkey; 64 bits make an
    /// accidental match of two random keys a chance of 2⁻⁶⁴.
    public var checkValue: String {
        let digits = Array("0123456789abcdef".utf8)
        let bytes = subkey(for: Self.checkValuePurpose).prefix(8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}
