import DapodikTestSupport
import Foundation
import Testing

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

    /// Runs an executable of the products directory to completion (killed after five minutes).
    /// - Parameters:
    ///   - name: The executable's name (`dapodik-verify`, `EmbeddingExample`).
    ///   - arguments: Its arguments.
    ///   - input: What it reads on its standard input; empty by default.
    ///   - environment: Variables to add to (or, with an empty value, remove from) the environment.
    ///   - directory: The working directory; a fresh temporary one by default.
    /// - Returns: Its exit status and both outputs.
    static func run(
        _ name: String, _ arguments: [String], input: String = "", environment: [String: String] = [:],
        in directory: URL? = nil
    ) async throws -> Result {
        var variables = ProcessInfo.processInfo.environment
        variables["DAPODIK_DATA"] = nil
        variables["DAPODIK_LANG"] = nil
        for (key, value) in environment { variables[key] = value.isEmpty ? nil : value }
        let scratch = try TemporaryDirectory("example-run")
        let result = try await ChildProcess.run(
            productsDirectory.appendingPathComponent(name).path, arguments, input: input, environment: variables,
            in: directory ?? scratch.url, timeout: .seconds(300))
        return Result(
            status: result.status, standardOutput: result.standardOutput, standardError: result.standardError)
    }

    /// Whether ``runAsNobody(_:input:)`` can run: as root, with util-linux's `setpriv`.
    static let canRunAsNobody = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    /// Runs `dapodik-verify` as the user and group `nobody` (65534), as a service's own user would,
    /// from `/`.
    /// - Parameters:
    ///   - arguments: Its arguments.
    ///   - input: Its standard input.
    /// - Returns: Its exit status and both outputs.
    static func runAsNobody(_ arguments: [String], input: String = "") async throws -> Result {
        let executable = productsDirectory.appendingPathComponent("dapodik-verify").path
        let result = try await ChildProcess.run(
            "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments,
            input: input, in: URL(fileURLWithPath: "/"))
        return Result(
            status: result.status, standardOutput: result.standardOutput, standardError: result.standardError)
    }
}

/// The test needs to run the CLI as another user, and this machine cannot: under `CI=true` that is a
/// failure, since CI must prove the path.
struct AnotherUserUnavailable: Error, CustomStringConvertible {
    let description: String
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only where ``ExampleProcess/runAsNobody(_:input:)`` can run (as root, with
    /// util-linux's `setpriv`); skipped with the reason elsewhere, and failed under `CI=true`, as a
    /// missing outside program is (``ExternalTool``).
    static var runsAsAnotherUser: Self {
        let reason = "needs root and /usr/bin/setpriv, to run the CLI as another user"
        if ExampleProcess.canRunAsNobody { return .enabled(if: true) }
        if ExternalTool.isCI {
            return .enabled(Comment(rawValue: reason)) {
                throw AnotherUserUnavailable(description: "CI=true, but the test " + reason)
            }
        }
        return .enabled(if: false, Comment(rawValue: reason))
    }
}
