#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
#if os(Linux)
    internal import CDapodikRandom
#endif

/// One request to the kernel for random bytes, carried through to the end: `getrandom(2)` on Linux,
/// asked again for the rest after a short read and after `EINTR`, never buffered.
///
/// The system call is a parameter, so the tests can hand in one that reads short, is interrupted or
/// fails, and see the flags it is called with; the library always passes ``getrandom(_:flags:)``.
package enum KernelRandom {
    /// One call of `getrandom(2)`: the bytes written into the buffer, or the negated `errno`.
    package typealias SystemCall = (_ buffer: UnsafeMutableRawBufferPointer, _ flags: UInt32) -> Int

    /// The flags of every request: none, so the bytes come from the kernel's CSPRNG (the `urandom`
    /// source; not `GRND_RANDOM`), and a request made before the pool is initialized at boot waits
    /// instead of failing (not `GRND_NONBLOCK`) or returning weak bytes (not `GRND_INSECURE`).
    package static let flags: UInt32 = 0

    /// Fills `buffer` by calling `systemCall` until every byte is written: once for any buffer the
    /// kernel fills whole (up to 256 bytes, always, once the pool is initialized), again for the rest
    /// after a short read, and again after `EINTR`.
    /// - Parameters:
    ///   - buffer: The bytes to fill; an empty buffer makes no call.
    ///   - systemCall: `getrandom(2)`, or a stand-in in tests.
    /// - Returns: `nil` when every byte is written; otherwise the `errno` of the failed call (`EIO`
    ///   for a call that wrote nothing or claimed more than it was given), the buffer's content then
    ///   being unspecified.
    package static func fill(_ buffer: UnsafeMutableRawBufferPointer, calling systemCall: SystemCall) -> Int32? {
        var rest = buffer
        while !rest.isEmpty {
            let written = systemCall(rest, flags)
            if written == -Int(EINTR) { continue }
            if written < 0 { return Int32(truncatingIfNeeded: -written) }
            guard written > 0, written <= rest.count else { return EIO }
            rest = UnsafeMutableRawBufferPointer(rebasing: rest[written...])
        }
        return nil
    }

    #if os(Linux)
        /// The real system call, for ``fill(_:calling:)``.
        /// - Parameters:
        ///   - buffer: Where the bytes go.
        ///   - flags: `getrandom(2)`'s flags.
        /// - Returns: The bytes written, or the negated `errno`.
        package static func getrandom(_ buffer: UnsafeMutableRawBufferPointer, flags: UInt32) -> Int {
            let written = cdapodik_getrandom(buffer.baseAddress, buffer.count, flags)
            return written >= 0 ? written : -Int(errno)
        }
    #endif
}
