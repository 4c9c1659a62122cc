#if SMTP
    import DapodikSMTP
    import DapodikTestSupport
    import Foundation

    /// Python/scripted_server.py: an SMTP server that answers from a script, one list of steps per
    /// connection, and records every line it receives.
    final class ScriptedServer {
        struct Step: Encodable {
            var expect: String?
            var reply: [String]
            var then: String?

            init(_ expect: String?, _ reply: [String], then: String? = nil) {
                self.expect = expect
                self.reply = reply
                self.then = then
            }

            static let greeting = Step(nil, ["220 smtp.test ESMTP siap"])

            static func ehlo(_ keywords: [String]) -> Step {
                let lines = ["smtp.test halo"] + keywords
                return Step(
                    "EHLO",
                    lines.enumerated().map { index, line in (index == lines.count - 1 ? "250 " : "250-") + line })
            }

            static func accepted(_ command: String) -> Step { Step(command, ["250 2.1.0 Ok"]) }
            static let data = Step("DATA", ["354 End data with <CR><LF>.<CR><LF>"])
            static let queued = Step("<DATA>", ["250 2.0.0 Ok: queued as S1"])

            /// A whole plain transaction for one recipient.
            static let transaction = [accepted("MAIL FROM"), accepted("RCPT TO"), data, queued]
        }

        struct Entry: Decodable {
            var connection: Int
            var line: String?
            var data: String?
            var unexpected: String?
        }

        private let directory: TemporaryDirectory
        private let server: PythonServer
        var port: Int { server.port }

        init(_ connections: [[Step]]) throws {
            directory = try TemporaryDirectory("smtp-script")
            let script = try JSONEncoder().encode(["connections": connections])
            try script.write(to: directory.url.appendingPathComponent("script.json"))
            server = try PythonScripts.start(
                "scripted_server.py", [directory.file("script.json"), directory.file("transcript.jsonl")])
        }

        /// Everything received so far.
        func transcript() throws -> [Entry] {
            guard let data = FileManager.default.contents(atPath: directory.file("transcript.jsonl")) else { return [] }
            return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(Entry.self, from: $0) }
        }

        /// The command lines received, in order.
        func lines() throws -> [String] { try transcript().compactMap(\.line) }

        /// The messages received after DATA, still dot-stuffed, in order.
        func messages() throws -> [String] { try transcript().compactMap(\.data) }

        func stop() { server.stop() }

        /// A plaintext transport to this server (allowed: it is on 127.0.0.1).
        func transport(
            clock: ManualClock = ManualClock(), security: SMTPConfiguration.Security = .plaintextOnLoopback,
            maximumMessagesPerConnection: Int = 100, timeouts: SMTPTimeouts = SMTPTimeouts()
        ) -> SMTPTransport {
            SMTPTransport(
                configuration: SMTPConfiguration(
                    host: "127.0.0.1", port: port, security: security, clientName: "app.sekolah.test",
                    timeouts: timeouts, maximumMessagesPerConnection: maximumMessagesPerConnection),
                clock: clock, now: { Samples.now })
        }
    }
#endif
