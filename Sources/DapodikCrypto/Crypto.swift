// The one crypto seam of the package. Every other module calls these functions and nothing else.
// On Apple platforms CryptoKit could back SHA-256 and HMAC; elsewhere the pure-Swift code in this
// module does, proven against published vectors and Python's hashlib in DapodikCryptoTests.

/// Cryptographic primitives used inside the package: SHA-256, HMAC-SHA256, PBKDF2-HMAC-SHA256,
/// constant-time comparison, and random bytes.
package enum Crypto {
    /// The SHA-256 digest of `message` (FIPS 180-4).
    package static func sha256(_ message: some Collection<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(Array(message))
        return hasher.finalize()
    }

    /// HMAC-SHA256 of `message` under `key` (RFC 2104).
    package static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        var mac = HMACSHA256(key: Array(key))
        mac.update(Array(message))
        return mac.finalize()
    }

    /// PBKDF2 with HMAC-SHA256 as the pseudo-random function (RFC 8018 §5.2).
    /// - Parameters:
    ///   - password: The password bytes.
    ///   - salt: The salt bytes.
    ///   - iterations: The iteration count, at least 1.
    ///   - length: The derived key length in bytes, at least 1.
    package static func pbkdf2SHA256(
        password: some Collection<UInt8>, salt: some Collection<UInt8>, iterations: Int, length: Int
    ) -> [UInt8] {
        precondition(iterations >= 1 && length >= 1, "PBKDF2 needs at least one iteration and one byte")
        let prf = HMACSHA256(key: Array(password))
        var derived: [UInt8] = []
        derived.reserveCapacity(length)
        var blockIndex: UInt32 = 1
        while derived.count < length {
            var mac = prf
            mac.update(Array(salt))
            mac.update([
                UInt8(truncatingIfNeeded: blockIndex >> 24), UInt8(truncatingIfNeeded: blockIndex >> 16),
                UInt8(truncatingIfNeeded: blockIndex >> 8), UInt8(truncatingIfNeeded: blockIndex),
            ])
            var u = mac.finalize()
            var t = u
            if iterations > 1 {
                for _ in 2...iterations {
                    var next = prf
                    next.update(u)
                    u = next.finalize()
                    for index in 0..<t.count { t[index] ^= u[index] }
                }
            }
            derived.append(contentsOf: t.prefix(length - derived.count))
            blockIndex += 1
        }
        return derived
    }

    /// Compares two byte strings in time that depends only on their lengths, never on where they
    /// differ, so a caller learns nothing about a secret from how long a comparison took.
    package static func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }

    /// `count` bytes from the system's cryptographically secure generator.
    package static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
