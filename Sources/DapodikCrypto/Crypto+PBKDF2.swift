extension Crypto {
    /// PBKDF2 with HMAC-SHA256 as the pseudo-random function (RFC 8018 §5.2).
    ///
    /// Each iteration hashes exactly two blocks, starting from the precomputed inner and outer key
    /// states, with no heap allocation; the cost is linear in `iterations × ceil(length / 32)`.
    /// - Parameters:
    ///   - password: The password bytes, of any length.
    ///   - salt: The salt bytes, of any length.
    ///   - iterations: The iteration count c, at least 1.
    ///   - length: The derived key length dkLen in bytes, at least 1.
    ///   - implementation: Which compression function to run; the CPU's instructions when present
    ///     unless a test asks for a particular one.
    /// - Returns: `length` derived bytes.
    /// - Precondition: `iterations >= 1 && length >= 1`; anything else is a programming error.
    package static func pbkdf2SHA256(
        password: some Collection<UInt8>, salt: some Collection<UInt8>, iterations: Int, length: Int,
        implementation: SHA256Implementation = .preferred
    ) -> [UInt8] {
        precondition(iterations >= 1 && length >= 1, "PBKDF2 needs at least one iteration and one byte")
        let prf = HMACSHA256(key: password, implementation: implementation)
        let salt = Array(salt)
        var derived: [UInt8] = []
        derived.reserveCapacity(length + SHA256.digestSize)
        var blockIndex: UInt32 = 1
        while derived.count < length {
            var u = pbkdf2FirstBlock(prf, salt: salt, index: blockIndex)
            var t = u
            implementation.pbkdf2Iterations(
                inner: prf.innerKeyState, outer: prf.outerKeyState, u: &u, t: &t, count: iterations - 1)
            derived.append(contentsOf: SHA256.bytes(of: t).prefix(length - derived.count))
            blockIndex += 1
        }
        return derived
    }

    /// Two PBKDF2-HMAC-SHA256 derivations with the same iteration count and length, computed
    /// together: with the CPU's SHA instructions their compressions are interleaved (with x86-64 SHA-NI
    /// one core derives both in about the time of one; ARMv8 SHA2 interleaves the same way, unmeasured);
    /// with pure Swift one after the other.
    /// - Parameters:
    ///   - first: The first derivation's password and salt bytes, of any length.
    ///   - second: The second derivation's password and salt bytes.
    ///   - iterations: The iteration count c of both, at least 1.
    ///   - length: The derived key length dkLen of both, in bytes, at least 1.
    ///   - implementation: Which compression function to run.
    /// - Returns: The two derived keys, equal to two calls of
    ///   ``pbkdf2SHA256(password:salt:iterations:length:implementation:)``.
    /// - Precondition: `iterations >= 1 && length >= 1`; anything else is a programming error.
    package static func pbkdf2SHA256(
        _ first: (password: [UInt8], salt: [UInt8]), _ second: (password: [UInt8], salt: [UInt8]),
        iterations: Int, length: Int, implementation: SHA256Implementation = .preferred
    ) -> (first: [UInt8], second: [UInt8]) {
        precondition(iterations >= 1 && length >= 1, "PBKDF2 needs at least one iteration and one byte")
        let prfs = (
            HMACSHA256(key: first.password, implementation: implementation),
            HMACSHA256(key: second.password, implementation: implementation)
        )
        var derived: ([UInt8], [UInt8]) = ([], [])
        derived.0.reserveCapacity(length + SHA256.digestSize)
        derived.1.reserveCapacity(length + SHA256.digestSize)
        var blockIndex: UInt32 = 1
        while derived.0.count < length {
            var u = (
                pbkdf2FirstBlock(prfs.0, salt: first.salt, index: blockIndex),
                pbkdf2FirstBlock(prfs.1, salt: second.salt, index: blockIndex)
            )
            var t = u
            implementation.pbkdf2Iterations(
                inner: (prfs.0.innerKeyState, prfs.1.innerKeyState),
                outer: (prfs.0.outerKeyState, prfs.1.outerKeyState), u: &u, t: &t, count: iterations - 1)
            derived.0.append(contentsOf: SHA256.bytes(of: t.0).prefix(length - derived.0.count))
            derived.1.append(contentsOf: SHA256.bytes(of: t.1).prefix(length - derived.1.count))
            blockIndex += 1
        }
        return derived
    }

    /// U1 of output block `index` (RFC 8018 §5.2): HMAC(P, S || INT(index)), as a chaining value.
    static func pbkdf2FirstBlock(_ prf: HMACSHA256, salt: [UInt8], index: UInt32) -> SHA256.State {
        var first = prf
        first.update(salt)
        withUnsafeBytes(of: index.bigEndian) { first.update($0) }
        return first.finalizeState()
    }
}

extension SHA256 {
    /// PBKDF2's inner loop in pure Swift: `count` times `u = HMAC(P, u)` from the keyed states, and
    /// `t ^= u` (RFC 8018 §5.2). See ``SHA256Implementation/pbkdf2Iterations(inner:outer:u:t:count:)``.
    static func portablePBKDF2Iterations(inner: State, outer: State, u: inout State, t: inout State, count: Int) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            let words = schedule.baseAddress!
            var current = u
            var sum = t
            for _ in 0..<count {
                var state = inner
                loadPaddedDigest(current, into: words)
                compress(&state, schedule: words)
                let innerDigest = state
                state = outer
                loadPaddedDigest(innerDigest, into: words)
                compress(&state, schedule: words)
                current = state
                sum = (
                    sum.0 ^ current.0, sum.1 ^ current.1, sum.2 ^ current.2, sum.3 ^ current.3,
                    sum.4 ^ current.4, sum.5 ^ current.5, sum.6 ^ current.6, sum.7 ^ current.7
                )
            }
            u = current
            t = sum
        }
    }

    /// Fills one block with a 32-byte message that follows a 64-byte key block: the message
    /// words, the `1` bit, zeros, and the length 96 × 8 = 768 bits (FIPS 180-4 §5.1.1).
    @inline(__always)
    private static func loadPaddedDigest(_ digest: State, into w: UnsafeMutablePointer<UInt32>) {
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
        w[15] = UInt32((blockSize + digestSize) * 8)
    }
}
