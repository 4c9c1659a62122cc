import Foundation
public import Testing

/// A program outside the package that some tests need: they run when it is installed and are
/// reported as skipped, with the reason and the command that installs it, when it is not.
///
/// Under `CI=true` a missing program is a failure, not a skip: CI must prove the real path.
public enum ExternalTool: String, CaseIterable, Sendable {
    /// Python 3 with its standard library (the independent checkers).
    case python3
    /// Python's aiosmtpd module (the local SMTP servers of the Python/ folders).
    case aiosmtpd
    /// Python's cryptography package (the test certificates of the SMTP transport's TLS tests).
    case cryptography
    /// The msmtp sendmail-compatible SMTP client.
    case msmtp
    /// strace, allowed to trace a child (the test of which system calls make the random bytes).
    case strace
    /// util-linux's flock, which takes a `flock(2)` lock for a shell script (a store held by another
    /// process at a chosen moment).
    case flock

    /// What installs it on Debian and Ubuntu.
    public var installCommand: String {
        switch self {
        case .python3: "apt-get install python3"
        case .aiosmtpd: "python3 -m pip install aiosmtpd (or apt-get install python3-aiosmtpd)"
        case .cryptography: "python3 -m pip install cryptography (or apt-get install python3-cryptography)"
        case .msmtp: "apt-get install msmtp"
        case .strace: "apt-get install strace"
        case .flock: "apt-get install util-linux"
        }
    }

    /// Whether it can be used here, probed once per test run.
    public var isAvailable: Bool { Self.availability[self] ?? false }

    /// The full path of a program found on `PATH`, or `nil`.
    public static func path(of program: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return directories.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the tests run under CI (`CI=true`), where a missing program is a failure.
    public static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    private static let availability: [ExternalTool: Bool] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0, $0.probe()) })

    private func probe() -> Bool {
        switch self {
        case .python3: Self.succeeds("python3", ["-c", "import email, hashlib, hmac, json"])
        case .aiosmtpd: Self.succeeds("python3", ["-c", "import aiosmtpd.controller"])
        case .cryptography: Self.succeeds("python3", ["-c", "import cryptography.x509"])
        case .msmtp: Self.path(of: "msmtp") != nil
        case .strace: Self.succeeds("strace", ["-f", "-qq", "-e", "trace=none", "true"])
        case .flock: Self.path(of: "flock") != nil
        }
    }

    private static func succeeds(_ program: String, _ arguments: [String]) -> Bool {
        guard path(of: program) != nil else { return false }
        return (try? ChildProcess.run(program, arguments, timeout: .seconds(60)).status) == 0
    }

    /// Why a test that needs `tools` cannot run, or `nil` when all of them are there.
    public static func missing(_ tools: [ExternalTool]) -> String? {
        let absent = tools.filter { !$0.isAvailable }
        guard !absent.isEmpty else { return nil }
        return "needs " + absent.map { "\($0.rawValue) (install: \($0.installCommand))" }.joined(separator: ", ")
            + ", which is not installed"
    }

    /// A program a test needs is missing under CI.
    public struct MissingUnderCI: Error, CustomStringConvertible {
        /// Which program is missing and how to install it.
        public let description: String
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when every one of `tools` is installed; otherwise skips it, saying
    /// which is missing and how to install it. Under `CI=true` a missing tool fails the test.
    public static func requires(_ tools: ExternalTool...) -> Self {
        guard let reason = ExternalTool.missing(tools) else { return .enabled(if: true) }
        if ExternalTool.isCI {
            return .enabled(Comment(rawValue: reason)) {
                throw ExternalTool.MissingUnderCI(description: "CI=true, but the test \(reason)")
            }
        }
        return .enabled(if: false, Comment(rawValue: reason))
    }
}
