public import Foundation

/// A fresh, empty directory under the system's temporary directory, removed with everything in it
/// when the last reference to it goes away: no test has to remember to clean up.
///
/// Keep the value (not only its ``url``) for as long as the directory is used: a test holds it in a
/// local constant, a fixture in a stored property. Where a scope says it better, use
/// ``withTemporaryDirectory(_:_:)-(_,(TemporaryDirectory)throws->Result)``.
public final class TemporaryDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// Creates the directory.
    /// - Parameter label: A word in the directory's name, to tell whose it is when one is left behind
    ///   (after a crash of the test process).
    /// - Throws: The error of `FileManager.createDirectory`.
    public init(_ label: String = "test") throws {
        let made = FileManager.default.temporaryDirectory
            .appendingPathComponent("dapodik-\(label)-\(UUID().uuidString)", isDirectory: true)
        // 0700 whatever the umask: the stores and key files tested here refuse a directory others
        // may write to.
        try FileManager.default.createDirectory(
            at: made, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Its real path, as the code under test reports it: on macOS the temporary directory is under
        // `/var`, a link to `/private/var`. (`realpath`, not `resolvingSymlinksInPath()`, which drops
        // a leading `/private` again on Darwin.)
        guard let resolved = realpath(made.path, nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: made.path])
        }
        url = URL(fileURLWithPath: String(cString: resolved), isDirectory: true)
        free(resolved)
    }

    /// The directory's path.
    public var path: String { url.path }

    /// The path of `name` inside the directory (nothing is created).
    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The URL of `name` inside the directory (nothing is created).
    public func appending(_ name: String, isDirectory: Bool = false) -> URL {
        url.appendingPathComponent(name, isDirectory: isDirectory)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body` with a fresh temporary directory, removed when `body` returns or throws.
/// - Parameters:
///   - label: A word in the directory's name.
///   - body: What uses the directory.
/// - Returns: What `body` returns.
/// - Throws: What creating the directory or `body` throws.
public func withTemporaryDirectory<Result>(
    _ label: String = "test", _ body: (TemporaryDirectory) throws -> Result
) throws -> Result {
    let directory = try TemporaryDirectory(label)
    return try withExtendedLifetime(directory) { try body(directory) }
}

/// Runs `body` with a fresh temporary directory, removed when `body` returns or throws.
/// - Parameters:
///   - label: A word in the directory's name.
///   - body: What uses the directory.
/// - Returns: What `body` returns.
/// - Throws: What creating the directory or `body` throws.
public func withTemporaryDirectory<Result>(
    _ label: String = "test", _ body: (TemporaryDirectory) async throws -> Result
) async throws -> Result {
    let directory = try TemporaryDirectory(label)
    defer { withExtendedLifetime(directory) {} }
    return try await body(directory)
}
