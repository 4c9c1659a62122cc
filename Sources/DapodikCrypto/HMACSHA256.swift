/// Incremental HMAC-SHA256 (RFC 2104, with SHA-256 from FIPS 180-4).
///
/// A keyed instance holds the hashers after the inner and outer padded keys were absorbed, so a
/// copy reuses that work: keep one per key and call ``authenticationCode(for:)`` for each message
/// (two compressions fewer per message than keying afresh). PBKDF2 goes further and reuses the two
/// chaining values directly.
package struct HMACSHA256: Sendable {
    private var inner: SHA256
    private let outer: SHA256
    /// The chaining value after absorbing `K XOR ipad` (RFC 2104 §2).
    let innerKeyState: SHA256.State
    /// The chaining value after absorbing `K XOR opad` (RFC 2104 §2).
    let outerKeyState: SHA256.State

    /// An HMAC keyed with `key`.
    ///
    /// A key longer than the 64-byte block is hashed first; a shorter one is padded with zeros
    /// (RFC 2104 §2). Any length, including zero, is accepted.
    /// - Parameters:
    ///   - key: The secret key.
    ///   - implementation: Which SHA-256 compression function to run; the CPU's instructions when
    ///     present unless a test asks for a particular one.
    package init(key: some Collection<UInt8>, implementation: SHA256Implementation = .preferred) {
        var keyBlock: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        let shortKey: [UInt8]
        if key.count > SHA256.blockSize {
            var hasher = SHA256(implementation: implementation)
            hasher.update(key)
            shortKey = hasher.finalize()
        } else {
            shortKey = Array(key)
        }
        withUnsafeMutableBytes(of: &keyBlock) { block in
            shortKey.withUnsafeBytes { block.copyMemory(from: $0) }
            for index in 0..<SHA256.blockSize { block[index] ^= 0x36 }
        }
        var inner = SHA256(implementation: implementation)
        withUnsafeBytes(of: keyBlock) { inner.update($0) }
        withUnsafeMutableBytes(of: &keyBlock) { block in
            for index in 0..<SHA256.blockSize { block[index] ^= 0x36 ^ 0x5c }
        }
        var outer = SHA256(implementation: implementation)
        withUnsafeBytes(of: keyBlock) { outer.update($0) }
        self.inner = inner
        self.outer = outer
        self.innerKeyState = inner.chainingValue
        self.outerKeyState = outer.chainingValue
    }

    /// Feeds message bytes.
    /// - Parameter bytes: The next bytes of the message; may be empty.
    package mutating func update(_ bytes: some Collection<UInt8>) { inner.update(bytes) }

    /// Feeds message bytes.
    /// - Parameter bytes: The next bytes of the message; may be empty.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) { inner.update(bytes) }

    /// The authentication code as a chaining value.
    ///
    /// The instance must not be used afterwards.
    /// - Returns: The eight words of the 32-byte code.
    package mutating func finalizeState() -> SHA256.State {
        var outer = self.outer
        var innerDigest = inner.finalizeState()
        innerDigest = (
            innerDigest.0.bigEndian, innerDigest.1.bigEndian, innerDigest.2.bigEndian, innerDigest.3.bigEndian,
            innerDigest.4.bigEndian, innerDigest.5.bigEndian, innerDigest.6.bigEndian, innerDigest.7.bigEndian
        )
        withUnsafeBytes(of: innerDigest) { outer.update($0) }
        return outer.finalizeState()
    }

    /// The 32-byte authentication code.
    ///
    /// The instance must not be used afterwards.
    /// - Returns: The code, in big-endian byte order.
    package mutating func finalize() -> [UInt8] { SHA256.bytes(of: finalizeState()) }

    /// The authentication code of one whole message under this instance's key, leaving the
    /// instance as it is, so one keyed instance serves any number of messages.
    /// - Parameter message: The bytes to authenticate; may be empty.
    /// - Returns: The 32-byte code, equal to `Crypto.hmacSHA256(key:message:)` under the same key.
    package func authenticationCode(for message: some Collection<UInt8>) -> [UInt8] {
        var copy = self
        copy.update(message)
        return copy.finalize()
    }
}
