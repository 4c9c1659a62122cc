import Foundation

/// The local SMTP server of Python/smtp_server.py (aiosmtpd), for one test.
///
/// Started with a pipe on its standard input; closing it (``stop()``) ends the server, so it never
/// outlives the test even if the test crashes. Ready once it printed `ready <port>`: the test
/// reads that line, it does not sleep.
final class SMTPServer {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Python/smtp_server.py").path

    let port: Int
    let inbox: TemporaryDirectory
    private let process: Process
    private let input: Pipe

    init(rcptReply: Int = 250, dataReply: Int = 250) throws {
        inbox = try TemporaryDirectory("smtp")
        process = Process()
        input = Pipe()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.script, inbox.path, "--rcpt-reply", String(rcptReply), "--data-reply", String(dataReply),
        ]
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
            throw CocoaError(
                .fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "the SMTP server did not start"])
        }
        self.port = port
    }

    /// The messages it accepted, oldest first.
    func received() throws -> [Data] {
        try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".eml") }.sorted()
            .map { try Data(contentsOf: inbox.url.appendingPathComponent($0)) }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        inbox.remove()
    }
}
