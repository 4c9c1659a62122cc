#if canImport(CryptoKit)
    import CryptoKit
    import Foundation
#endif

/// Cryptographic primitives used inside the package: SHA-256, HMAC-SHA256, PBKDF2-HMAC-SHA256,
/// constant-time comparison, random bytes and random UUIDs.
///
/// This is the package's one crypto seam; every other module calls these functions and nothing
/// else. On Apple platforms CryptoKit computes one-shot SHA-256 and HMAC; elsewhere (and for PBKDF2
/// and keyed ``HMACSHA256`` everywhere) this module's ``SHA256`` does, with the CPU's SHA
/// instructions when present (``SHA256Implementation``) and in pure Swift otherwise; both are
/// proven against the published vectors and against Python's `hashlib` in `DapodikCryptoTests`.
package enum Crypto {
    /// The SHA-256 digest of `message` (FIPS 180-4).
    /// - Parameter message: The bytes to hash; may be empty.
    /// - Returns: The 32-byte digest.
    package static func sha256(_ message: some Collection<UInt8>) -> [UInt8] {
        #if canImport(CryptoKit)
            return Array(CryptoKit.SHA256.hash(data: Array(message)))
        #else
            return sha256(message, using: .preferred)
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

    /// Compares two byte strings in time that depends only on their lengths, never on where they
    /// differ, so a caller learns nothing about a secret from how long a comparison took.
    /// - Parameters:
    ///   - lhs: One byte string, typically a stored digest.
    ///   - rhs: The other, typically a freshly computed digest.
    /// - Returns: Whether both hold the same bytes. Different lengths return `false` at once: the
    ///   length of a digest is no secret.
    package static func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        let contiguous = lhs.withContiguousStorageIfAvailable { left in
            rhs.withContiguousStorageIfAvailable { right in constantTimeEquals(left, right) }
        }
        if let contiguous, let result = contiguous { return result }
        return constantTimeEquals(Array(lhs), Array(rhs))
    }

    /// The constant-time comparison of two arrays, the common case, without the generic path's
    /// indirection.
    /// - Parameters:
    ///   - lhs: One byte string, typically a stored digest.
    ///   - rhs: The other, typically a freshly computed digest.
    /// - Returns: Whether both hold the same bytes; `false` at once for different lengths.
    package static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.withUnsafeBufferPointer { left in rhs.withUnsafeBufferPointer { right in constantTimeEquals(left, right) } }
    }

    /// The comparison itself, over contiguous bytes: every byte pair is visited and only OR-ed into
    /// one accumulator, with no branch on the bytes, so the time depends on the length alone. Kept
    /// out of line so the optimizer never sees the callers' values.
    @inline(never)
    static func constantTimeEquals(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    /// `count` bytes from the kernel's cryptographically secure generator, in one request
    /// (``SecureRandomGenerator/fill(_:)``: `getrandom(2)` on Linux, `arc4random_buf` on Apple
    /// platforms).
    /// - Parameter count: How many bytes, at least 0.
    /// - Returns: `count` random bytes.
    package static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SecureRandomGenerator()
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            generator.fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// The SHA-256 digest of `message` from this module's ``SHA256``, on every platform (also where
    /// ``sha256(_:)`` uses CryptoKit).
    /// - Parameters:
    ///   - message: The bytes to hash; may be empty.
    ///   - implementation: Which compression function to run, ``SHA256Implementation/preferred`` for the
    ///     CPU's instructions when present.
    /// - Returns: The 32-byte digest.
    package static func sha256(_ message: some Collection<UInt8>, using implementation: SHA256Implementation)
        -> [UInt8]
    {
        var hasher = SHA256(implementation: implementation)
        hasher.update(message)
        return hasher.finalize()
    }
}
