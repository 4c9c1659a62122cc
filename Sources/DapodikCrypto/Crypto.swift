#if canImport(CryptoKit)
    import CryptoKit
    import Foundation
#endif

/// Cryptographic primitives used inside the package: SHA-256, HMAC-SHA256, PBKDF2-HMAC-SHA256,
/// constant-time comparison, and random bytes.
///
/// This is the package's one crypto seam; every other module calls these functions and nothing
/// else. On Apple platforms CryptoKit computes SHA-256 and HMAC; elsewhere (and for PBKDF2
/// everywhere) the pure-Swift ``SHA256`` and ``HMACSHA256`` of this module do, proven against the
/// published vectors and against Python's `hashlib` in `DapodikCryptoTests`.
package enum Crypto {
    /// The SHA-256 digest of `message` (FIPS 180-4).
    /// - Parameter message: The bytes to hash; may be empty.
    /// - Returns: The 32-byte digest.
    package static func sha256(_ message: some Collection<UInt8>) -> [UInt8] {
        #if canImport(CryptoKit)
            return Array(CryptoKit.SHA256.hash(data: Array(message)))
        #else
            return pureSHA256(message)
        #endif
    }

    /// HMAC-SHA256 of `message` under `key` (RFC 2104).
    /// - Parameters:
    ///   - key: The secret key, of any length (RFC 2104 §3 recommends at least 32 bytes).
    ///   - message: The bytes to authenticate; may be empty.
    /// - Returns: The 32-byte authentication code.
    package static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        #if canImport(CryptoKit)
            let code = HMAC<CryptoKit.SHA256>.authenticationCode(
                for: Array(message), using: SymmetricKey(data: Array(key)))
            return Array(code)
        #else
            var mac = HMACSHA256(key: key)
            mac.update(message)
            return mac.finalize()
        #endif
    }

    /// PBKDF2 with HMAC-SHA256 as the pseudo-random function (RFC 8018 §5.2).
    ///
    /// Each iteration hashes exactly two blocks, starting from the precomputed inner and outer key
    /// states, with no heap allocation; the cost is linear in `iterations × ceil(length / 32)`.
    /// - Parameters:
    ///   - password: The password bytes, of any length.
    ///   - salt: The salt bytes, of any length.
    ///   - iterations: The iteration count c, at least 1.
    ///   - length: The derived key length dkLen in bytes, at least 1.
    /// - Returns: `length` derived bytes.
    /// - Precondition: `iterations >= 1 && length >= 1`; anything else is a programming error.
    package static func pbkdf2SHA256(
        password: some Collection<UInt8>, salt: some Collection<UInt8>, iterations: Int, length: Int
    ) -> [UInt8] {
        precondition(iterations >= 1 && length >= 1, "PBKDF2 needs at least one iteration and one byte")
        let prf = HMACSHA256(key: password)
        let salt = Array(salt)
        var derived: [UInt8] = []
        derived.reserveCapacity(length + SHA256.digestSize)
        var blockIndex: UInt32 = 1
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            let words = schedule.baseAddress!
            while derived.count < length {
                var first = prf
                first.update(salt)
                withUnsafeBytes(of: blockIndex.bigEndian) { first.update($0) }
                var u = first.finalizeState()
                var t = u
                for _ in 1..<iterations {
                    u = iterate(u, inner: prf.innerKeyState, outer: prf.outerKeyState, schedule: words)
                    t = (t.0 ^ u.0, t.1 ^ u.1, t.2 ^ u.2, t.3 ^ u.3, t.4 ^ u.4, t.5 ^ u.5, t.6 ^ u.6, t.7 ^ u.7)
                }
                derived.append(contentsOf: SHA256.bytes(of: t).prefix(length - derived.count))
                blockIndex += 1
            }
        }
        return derived
    }

    /// One PBKDF2 step, U(i) = HMAC(P, U(i-1)), for a 32-byte U(i-1): one block through the inner
    /// state and one through the outer, each a 32-byte message padded to a single block.
    @inline(__always)
    private static func iterate(
        _ previous: SHA256.State, inner: SHA256.State, outer: SHA256.State, schedule w: UnsafeMutablePointer<UInt32>
    ) -> SHA256.State {
        var state = inner
        loadPaddedDigest(previous, into: w)
        SHA256.compress(&state, schedule: w)
        let innerDigest = state
        state = outer
        loadPaddedDigest(innerDigest, into: w)
        SHA256.compress(&state, schedule: w)
        return state
    }

    /// Fills one block with a 32-byte message that follows a 64-byte key block: the message
    /// words, the `1` bit, zeros, and the length 96 × 8 = 768 bits (FIPS 180-4 §5.1.1).
    @inline(__always)
    private static func loadPaddedDigest(_ digest: SHA256.State, into w: UnsafeMutablePointer<UInt32>) {
        w[0] = digest.0
        w[1] = digest.1
        w[2] = digest.2
        w[3] = digest.3
        w[4] = digest.4
        w[5] = digest.5
        w[6] = digest.6
        w[7] = digest.7
        w[8] = 0x8000_0000
        for index in 9..<15 { w[index] = 0 }
        w[15] = UInt32((SHA256.blockSize + SHA256.digestSize) * 8)
    }

    /// Compares two byte strings in time that depends only on their lengths, never on where they
    /// differ, so a caller learns nothing about a secret from how long a comparison took.
    /// - Parameters:
    ///   - lhs: One byte string, typically a stored digest.
    ///   - rhs: The other, typically a freshly computed digest.
    /// - Returns: Whether both hold the same bytes. Different lengths return `false` at once: the
    ///   length of a digest is no secret.
    @inline(never)
    package static func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }

    /// `count` bytes from the system's cryptographically secure generator
    /// (`SystemRandomNumberGenerator`: `getrandom(2)` on Linux, `arc4random_buf` on Apple platforms).
    /// - Parameter count: How many bytes, at least 0.
    /// - Returns: `count` random bytes.
    package static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// The SHA-256 digest of `message` from the pure-Swift implementation, on every platform.
    /// - Parameter message: The bytes to hash; may be empty.
    /// - Returns: The 32-byte digest.
    package static func pureSHA256(_ message: some Collection<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(message)
        return hasher.finalize()
    }
}
