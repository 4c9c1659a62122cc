#if canImport(Darwin)
    import Darwin
#endif

/// The kernel's cryptographically secure generator as a value with a size: every draw is one fresh
/// request to the kernel (`getrandom(2)` on Linux, `arc4random_buf` on Apple platforms), the same
/// sources `SystemRandomNumberGenerator` uses, with ``fill(_:)`` for many bytes in one request.
///
/// Nothing is kept between draws: no bytes are buffered in user space, so a forked child never
/// repeats its parent's bytes and no random secret outlives the call that asked for it.
///
/// `SystemRandomNumberGenerator` is empty, and a debug build with Swift 6.3 passes an empty value
/// `inout` to a generic function as an undefined address (LLVM `undef`). Under ThreadSanitizer the
/// callee reports its accesses to that address, and the TSan runtime crashes on it (SEGV in
/// `__tsan::MemoryAccess`): `swift test --sanitize=thread` stopped in `MessageID.random`. One stored
/// byte gives the value real storage and a real address. The reduction, which CI runs to see
/// whether a toolchain still has the bug, is `.ci/reproductions/tsan-empty-inout.swift`.
package struct SecureRandomGenerator: RandomNumberGenerator, RandomBytesSource {
    /// Never read: it only makes the value non-empty (see above).
    private var storage: UInt8 = 0

    /// A generator over the kernel's source.
    package init() {}

    /// 64 random bits: one request of 8 bytes.
    /// - Returns: The bits.
    package mutating func next() -> UInt64 {
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { fill($0) }
        return value
    }

    /// Fills `buffer` with one request to the kernel (more only after a short read or `EINTR`).
    ///
    /// A failing request stops the process, as `SystemRandomNumberGenerator` does: nothing may go on
    /// with bytes that are not random.
    /// - Parameter buffer: The bytes to fill; an empty buffer makes no request.
    package mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        #if canImport(Darwin)
            if let base = buffer.baseAddress { arc4random_buf(base, buffer.count) }
        #elseif os(Linux)
            if let error = KernelRandom.fill(buffer, calling: KernelRandom.getrandom) {
                fatalError("getrandom(2) failed with errno \(error)")
            }
        #else
            // Elsewhere the standard library's source, one request a byte (no such platform is supported).
            var system = SystemRandomNumberGenerator()
            for index in buffer.indices { buffer[index] = UInt8(truncatingIfNeeded: system.next()) }
        #endif
    }
}
