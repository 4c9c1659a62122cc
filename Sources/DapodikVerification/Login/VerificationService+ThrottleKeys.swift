import DapodikCrypto

// Where the counters of failed attempts live in the store.
extension VerificationService {
    /// The label of the key-ring subkey that keys identifier throttle records (HKDF-Expand info,
    /// see ``CodeKey/subkey(for:)``).
    static let throttleSubkeyPurpose = "dapodik-verification-login-throttle-v1"

    /// The throttle record of one typed login identifier (trimmed, lower-cased).
    ///
    /// Keyed by `HMAC-SHA256(subkey, identifier)` under a subkey of the ring's current code key, so a
    /// copy of the store without the keys neither lists nor confirms the names people typed (a
    /// password typed into the username field included): an unsalted hash would let anyone test a
    /// guess offline. Rotating the current key starts these counters afresh; the per-account
    /// counters (``accountThrottleKey(_:)``), which carry the lifetime cap, are not affected.
    func identifierThrottleKey(_ identifier: String) -> StoredKey<LoginThrottlePolicy.State> {
        let ring = configuration.keyRing
        let subkey = ring.subkey(for: Self.throttleSubkeyPurpose, of: ring.currentKeyID) ?? []
        let digest = Crypto.hmacSHA256(key: subkey, message: Array(identifier.utf8))
        return StoredKey(digest.map(hexByte).joined())
    }

    /// The throttle record of one account, whichever identifier was typed.
    func accountThrottleKey(_ account: AccountID) -> StoredKey<LoginThrottlePolicy.State> {
        StoredKey("account-" + account.description)
    }
}

/// Two lower-case hexadecimal digits.
func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
