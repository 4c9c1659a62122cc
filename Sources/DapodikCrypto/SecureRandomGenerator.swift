/// The system's cryptographically secure generator (`SystemRandomNumberGenerator`) as a value with
/// a size, for passing `inout` to this package's functions that are generic over their generator.
///
/// `SystemRandomNumberGenerator` is empty, and a debug build with Swift 6.3 passes an empty value
/// `inout` to a generic function as an undefined address (LLVM `undef`). Under ThreadSanitizer the
/// callee reports its accesses to that address, and the TSan runtime crashes on it (SEGV in
/// `__tsan::MemoryAccess`): `swift test --sanitize=thread` stopped in `MessageID.random`. One stored
/// byte gives the value real storage and a real address. The reduction, which CI runs to see
/// whether a toolchain still has the bug, is `.ci/reproductions/tsan-empty-inout.swift`.
package struct SecureRandomGenerator: RandomNumberGenerator {
    private var system = SystemRandomNumberGenerator()
    /// Never read: it only makes the value non-empty (see above).
    private var storage: UInt8 = 0

    /// A generator over the system's source (`getrandom(2)` on Linux, `arc4random_buf` on Apple
    /// platforms).
    package init() {}

    /// 64 random bits from the system's source.
    /// - Returns: The bits.
    package mutating func next() -> UInt64 { system.next() }
}
