internal import CDapodikSHA

/// Which code runs the SHA-256 compression function: the CPU's SHA instructions or pure Swift.
///
/// The hardware implementation (x86-64 SHA-NI, ARMv8 SHA2, in the package's `CDapodikSHA` target)
/// exists only where the running CPU reports the instructions; it is detected once per process.
/// Setting the environment variable `DAPODIK_SHA256_PORTABLE=1` turns it off, so a whole test suite
/// or benchmark runs on the fallback that a machine without the instructions uses.
/// Both compute the same function; ``preferred`` is what the package uses, and tests pass each of
/// ``available`` explicitly so that both are proven on every run.
package struct SHA256Implementation: Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case portable
        case hardware
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// The pure-Swift compression function, available everywhere.
    package static let portable = SHA256Implementation(.portable)

    /// The CPU's SHA-256 instructions, or `nil` when this machine lacks them, the architecture is
    /// neither x86-64 nor AArch64 (the package is built without them there), or the environment sets
    /// `DAPODIK_SHA256_PORTABLE=1`.
    package static let hardware: SHA256Implementation? = {
        #if arch(x86_64) || arch(arm64)
            return cdapodik_sha256_hardware_available() ? SHA256Implementation(.hardware) : nil
        #else
            return nil
        #endif
    }()

    /// What the package uses unless told otherwise: ``hardware`` when present, else ``portable``.
    package static let preferred = hardware ?? portable

    /// Every implementation this machine can run: ``portable``, then ``hardware`` when present.
    package static var available: [SHA256Implementation] { [portable] + (hardware.map { [$0] } ?? []) }

    /// Whether this is the CPU's instructions rather than pure Swift.
    package var isHardware: Bool { kind == .hardware }

    /// Whether two PBKDF2 derivations run at once cost about the time of one, so that logins are worth
    /// pairing (a paired login waits for its partner's iterations): x86-64 SHA-NI, measured. Not ARMv8,
    /// whose two-lane loop exists (batch hashing uses it) but whose gain no machine here could measure:
    /// where it gained nothing, pairing would double a login's time. With pure Swift the two lanes run one
    /// after the other.
    package var interleavesTwoDerivations: Bool {
        #if arch(x86_64)
            kind == .hardware
        #else
            false
        #endif
    }

    /// A name for logs and test reports, such as "hardware (x86-64 SHA-NI)".
    package var description: String {
        switch kind {
        case .portable: "pure Swift"
        case .hardware:
            #if arch(x86_64)
                "hardware (x86-64 SHA-NI)"
            #else
                "hardware (ARMv8 SHA2)"
            #endif
        }
    }

    /// Applies the compression function (FIPS 180-4 §6.2.2) to `count` consecutive 64-byte blocks.
    /// - Parameters:
    ///   - state: The chaining value, updated in place.
    ///   - blocks: `64 × count` message bytes, any alignment.
    ///   - count: The number of blocks; 0 changes nothing.
    @inline(__always)
    func compress(_ state: inout SHA256.State, blocks: UnsafeRawPointer, count: Int) {
        #if arch(x86_64) || arch(arm64)
            if kind == .hardware {
                withUnsafeMutableBytes(of: &state) { words in
                    // A homogeneous tuple is laid out, and bound, as consecutive elements.
                    cdapodik_sha256_hardware_compress(
                        words.baseAddress!.assumingMemoryBound(to: UInt32.self), blocks, count)
                }
                return
            }
        #endif
        SHA256.portableCompress(&state, blocks: blocks, count: count)
    }

    /// Runs `count` further PBKDF2 iterations (RFC 8018 §5.2): `u = HMAC(P, u)`, `t ^= u`, each HMAC
    /// being one compression from `inner` and one from `outer` on a 32-byte message.
    /// - Parameters:
    ///   - inner: The chaining value after the block `K XOR ipad` (RFC 2104 §2).
    ///   - outer: The chaining value after the block `K XOR opad`.
    ///   - u: The previous U on entry, the last one computed on return.
    ///   - t: The XOR of every U so far, updated in place.
    ///   - count: The number of iterations; 0 changes nothing.
    func pbkdf2Iterations(
        inner: SHA256.State, outer: SHA256.State, u: inout SHA256.State, t: inout SHA256.State, count: Int
    ) {
        #if arch(x86_64) || arch(arm64)
            if kind == .hardware {
                // A homogeneous tuple is laid out, and bound, as consecutive elements.
                Self.withAddresses(inner, outer, &u, &t) { inner, outer, u, t in
                    cdapodik_sha256_hardware_pbkdf2(
                        inner.assumingMemoryBound(to: UInt32.self), outer.assumingMemoryBound(to: UInt32.self),
                        u.assumingMemoryBound(to: UInt32.self), t.assumingMemoryBound(to: UInt32.self), UInt64(count))
                }
                return
            }
        #endif
        SHA256.portablePBKDF2Iterations(inner: inner, outer: outer, u: &u, t: &t, count: count)
    }

    /// ``pbkdf2Iterations(inner:outer:u:t:count:)`` for two derivations at once, each tuple holding
    /// the first derivation's value and then the second's.
    ///
    /// With the CPU's instructions the two derivations' compressions run interleaved: with x86-64 SHA-NI
    /// one core makes about twice the iterations per second that it makes for one derivation
    /// (`PerformanceHistory.md`, sixteenth pass); the ARMv8 SHA2 twin interleaves the same way (its results
    /// checked under qemu-user, its speed not measured: eighteenth pass). With pure Swift the two run one
    /// after the other. The results are those of two calls.
    func pbkdf2Iterations(
        inner: (SHA256.State, SHA256.State), outer: (SHA256.State, SHA256.State),
        u: inout (SHA256.State, SHA256.State), t: inout (SHA256.State, SHA256.State), count: Int
    ) {
        #if arch(x86_64) || arch(arm64)
            if kind == .hardware {
                // A tuple of two homogeneous tuples is laid out, and bound, as two consecutive rows.
                Self.withAddresses(inner, outer, &u, &t) { inner, outer, u, t in
                    cdapodik_sha256_hardware_pbkdf2_two(
                        inner.assumingMemoryBound(to: SHA256.State.self),
                        outer.assumingMemoryBound(to: SHA256.State.self), u.assumingMemoryBound(to: SHA256.State.self),
                        t.assumingMemoryBound(to: SHA256.State.self), UInt64(count))
                }
                return
            }
        #endif
        pbkdf2Iterations(inner: inner.0, outer: outer.0, u: &u.0, t: &t.0, count: count)
        pbkdf2Iterations(inner: inner.1, outer: outer.1, u: &u.1, t: &t.1, count: count)
    }

    /// Calls `body` with the addresses of the PBKDF2 loop's four values, for the C loops.
    private static func withAddresses<Value>(
        _ inner: Value, _ outer: Value, _ u: inout Value, _ t: inout Value,
        _ body: (UnsafeRawPointer, UnsafeRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Void
    ) {
        withUnsafeBytes(of: inner) { inner in
            withUnsafeBytes(of: outer) { outer in
                withUnsafeMutableBytes(of: &u) { u in
                    withUnsafeMutableBytes(of: &t) { t in
                        body(inner.baseAddress!, outer.baseAddress!, u.baseAddress!, t.baseAddress!)
                    }
                }
            }
        }
    }
}
