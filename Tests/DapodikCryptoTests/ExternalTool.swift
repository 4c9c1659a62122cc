import Foundation
import Testing

/// A program outside the package that some tests need: they run when it is installed and are
/// reported as skipped, with the reason and the command that installs it, when it is not.
///
/// Under `CI=true` a missing program is a failure, not a skip: CI must prove the real path.
/// (The same file is in each test target that needs it; test targets share no code.)
enum ExternalTool: String, CaseIterable, Sendable {
    /// Python 3 with its standard library (the independent checkers).
    case python3
    /// Python's aiosmtpd module (the local SMTP server of Python/smtp_server.py).
    case aiosmtpd
    /// The msmtp sendmail-compatible SMTP client.
    case msmtp

    /// What installs it on Debian and Ubuntu.
    var installCommand: String {
        switch self {
        case .python3: "apt-get install python3"
        case .aiosmtpd: "python3 -m pip install aiosmtpd (or apt-get install python3-aiosmtpd)"
        case .msmtp: "apt-get install msmtp"
        }
    }

    /// Whether it can be used here, probed once per test run.
    var isAvailable: Bool { Self.availability[self] ?? false }

    /// The full path of a program found on `PATH`, or `nil`.
    static func path(of program: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return directories.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the tests run under CI (`CI=true`), where a missing program is a failure.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    private static let availability: [ExternalTool: Bool] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, $0.probe()) })

    private func probe() -> Bool {
        switch self {
        case .python3: Self.succeeds("python3", ["-c", "import email, hashlib, hmac, json"])
        case .aiosmtpd: Self.succeeds("python3", ["-c", "import aiosmtpd.controller"])
        case .msmtp: Self.path(of: "msmtp") != nil
        }
    }

    private static func succeeds(_ program: String, _ arguments: [String]) -> Bool {
        guard let path = path(of: program) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Why a test that needs `tools` cannot run, or `nil` when all of them are there.
    static func missing(_ tools: [ExternalTool]) -> String? {
        let absent = tools.filter { !$0.isAvailable }
        guard !absent.isEmpty else { return nil }
        return "needs " + absent.map { "\($0.rawValue) (install: \($0.installCommand))" }.joined(separator: ", ")
            + ", which is not installed"
    }

    /// A program a test needs is missing under CI.
    struct MissingUnderCI: Error, CustomStringConvertible {
        let description: String
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when every one of `tools` is installed; otherwise skips it, saying
    /// which is missing and how to install it. Under `CI=true` a missing tool fails the test.
    static func requires(_ tools: ExternalTool...) -> Self {
        guard let reason = ExternalTool.missing(tools) else { return .enabled(if: true) }
        if ExternalTool.isCI {
            return .enabled(Comment(rawValue: reason)) {
                throw ExternalTool.MissingUnderCI(description: "CI=true, but the test \(reason)")
            }
        }
        return .enabled(if: false, Comment(rawValue: reason))
    }
}
