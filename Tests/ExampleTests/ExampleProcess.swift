import Foundation

/// Runs a built example executable and captures what it prints, as swift-argument-parser's
/// example tests do.
///
/// The executables are found next to the test bundle in the build products directory, so the
/// tests work with any `--scratch-path` and any configuration.
struct ExampleProcess {
    /// What a finished run produced.
    struct Result: Sendable {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// The build products directory: the one holding the test bundle.
    static let productsDirectory: URL = {
        #if os(macOS)
            for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
                return bundle.bundleURL.deletingLastPathComponent()
            }
        #endif
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // On Linux the runner is `<products>/<Package>PackageTests.xctest`; on macOS the binary sits
        // inside `<products>/<Package>PackageTests.xctest/Contents/MacOS/`.
        while directory.path != "/"
            && !FileManager.default.fileExists(
                atPath: directory.appendingPathComponent("dapodik-verify").path)
        {
            directory.deleteLastPathComponent()
        }
        return directory
    }()

    /// Runs an executable of the products directory to completion.
    /// - Parameters:
    ///   - name: The executable's name (`dapodik-verify`, `EmbeddingExample`).
    ///   - arguments: Its arguments.
    ///   - input: What to write to its standard input (then closed); empty by default.
    ///   - environment: Variables to add to (or, with an empty value, remove from) the environment.
    ///   - directory: The working directory; a fresh temporary one by default.
    /// - Returns: Its exit status and both outputs.
    /// Ignores SIGPIPE in the test process, once. Children inherit the ignored disposition
    /// (Foundation's `Process` keeps it); that is harmless here, as every output of theirs is read
    /// to its end.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    static func run(
        _ name: String, _ arguments: [String], input: String = "", environment: [String: String] = [:],
        in directory: URL? = nil
    ) async throws -> Result {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(name)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["DAPODIK_DATA"] = nil
        env["DAPODIK_LANG"] = nil
        for (key, value) in environment { env[key] = value.isEmpty ? nil : value }
        process.environment = env
        let workingDirectory = try directory ?? TemporaryDirectory.make()
        defer { if directory == nil { try? FileManager.default.removeItem(at: workingDirectory) } }
        process.currentDirectoryURL = workingDirectory
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both pipes concurrently while the process runs, so a full pipe never blocks it.
        async let output = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }.value
        async let error = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }.value
        // A command that fails early (a usage error) may exit before reading its input: then the
        // write fails with EPIPE, which is no error of the test (its status and output tell), and
        // must not raise SIGPIPE, which would end the whole test process.
        Self.ignoreBrokenPipes
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        let (outputData, errorData) = await (output, error)
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }
}

/// Fresh temporary directories for the tests.
enum TemporaryDirectory {
    /// Creates a new, empty directory under the system's temporary directory.
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("dapodik-example-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
