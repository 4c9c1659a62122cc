#if SMTP
    import Foundation
    import Testing

    /// A Python test server of Python/, for one test: started with a pipe on its standard input;
    /// closing it (``stop()``) ends the server, so it never outlives the test. Ready once it printed
    /// `ready <port>`: the test reads that line, it does not sleep.
    final class PythonServer {
        static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Python")

        /// Whether python3 with aiosmtpd and cryptography can run the servers.
        static let isAvailable: Bool = {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", "import aiosmtpd, cryptography"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }()

        /// Under CI the servers must be there: the tests run (and fail) rather than skip.
        static let isRequired = ProcessInfo.processInfo.environment["CI"] == "true"

        /// The reason shown when the tests skip.
        static let missing: Comment = "python3 with aiosmtpd and cryptography is not installed (pip install aiosmtpd)"

        let port: Int
        private let process: Process
        private let input: Pipe

        init(_ script: String, _ arguments: [String]) throws {
            process = Process()
            input = Pipe()
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", Self.directory.appendingPathComponent(script).path] + arguments
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line: [UInt8] = []
            var byte: UInt8 = 0
            while read(output.fileHandleForReading.fileDescriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
                line.append(byte)
            }
            let words = String(decoding: line, as: UTF8.self).split(separator: " ")
            guard words.count == 2, words[0] == "ready", let port = Int(words[1]) else {
                try? input.fileHandleForWriting.close()
                process.waitUntilExit()
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(script) did not start"])
            }
            self.port = port
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }

        /// Runs a Python script of Python/ to completion.
        static func run(_ script: String, _ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", directory.appendingPathComponent(script).path] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(script) failed"])
            }
        }
    }

    /// A fresh directory under the system's temporary directory, removed by ``remove()``.
    struct TemporaryDirectory {
        let url: URL

        init(_ label: String) throws {
            url = FileManager.default.temporaryDirectory
                .appendingPathComponent("dapodik-\(label)-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        var path: String { url.path }

        func file(_ name: String) -> String { url.appendingPathComponent(name).path }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }
#endif
