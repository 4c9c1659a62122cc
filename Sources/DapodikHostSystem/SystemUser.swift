#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The names of the system's users, for messages that say whose a file is and who is asking.
package enum SystemUser {
    /// The user this process acts as (its effective user).
    package static var current: UInt32 { UInt32(geteuid()) }

    /// A user's login name, or `uid <n>` when the system has no name for the number.
    ///
    /// Uses `getpwuid_r(3)`: `getpwuid` returns a buffer shared by every thread.
    /// - Parameter uid: The user's number.
    package static func name(of uid: UInt32) -> String {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let status = getpwuid_r(uid_t(uid), &entry, &buffer, buffer.count, &found)
        guard status == 0, found != nil, let name = entry.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }
}
