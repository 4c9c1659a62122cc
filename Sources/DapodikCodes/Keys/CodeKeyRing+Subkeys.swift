import DapodikCrypto

// Subkeys derived from the code keys, so an integrator keeps one secret per key generation.
extension CodeKey {
    /// A 32-byte subkey of this key for one purpose, independent of the code digests and of every
    /// other purpose.
    ///
    /// HKDF-Expand (RFC 5869 §2.3) with this key as the pseudorandom key, `info` = `purpose` and
    /// L = 32, which is the single block `HMAC-SHA256(key, purpose ‖ 0x01)`. The extract step is
    /// skipped because a code key is already uniformly random (RFC 5869 §3.3). The code digests
    /// use the message prefix `dapodik-verification-code-digest-v1`, so a purpose label that starts
    /// differently never produces an HMAC input a digest uses.
    /// - Parameter purpose: A label naming the use and its version, such as
    ///   `"dapodik-verification-outbox-seal-v1"`.
    /// - Returns: The subkey.
    package func subkey(for purpose: String) -> [UInt8] {
        Crypto.hmacSHA256(key: material, message: Array(purpose.utf8) + [0x01])
    }
}

extension CodeKeyRing {
    /// The subkey for `purpose` of the active key `id` (see ``CodeKey/subkey(for:)``).
    /// - Parameters:
    ///   - purpose: The purpose label.
    ///   - id: The code key to derive from.
    /// - Returns: The subkey, or `nil` once the key is retired (no longer in the ring).
    package func subkey(for purpose: String, of id: CodeKeyID) -> [UInt8]? {
        key(for: id)?.subkey(for: purpose)
    }
}
