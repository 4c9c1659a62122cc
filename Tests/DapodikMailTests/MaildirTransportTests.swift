import DapodikAccounts
import DapodikMail
import DapodikTestSupport
import Foundation
import Testing

struct MaildirTransportTests {
    @Test("a message lands in new/ whole, with a Return-Path, mode 0600 in 0700 directories", .timeLimit(.minutes(10)))
    func delivers() async throws {
        let directory = try TemporaryDirectory("maildir")
        let maildir = directory.url.appendingPathComponent("Maildir")
        let transport = MaildirTransport(directory: maildir, now: { InMemoryMailTransportTests.now })
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        let receipt = try await transport.send(message, envelope: envelope)
        #expect(receipt.handedOverAt == InMemoryMailTransportTests.now)
        let response = try #require(receipt.response)
        #expect(response.hasPrefix("new/1795922262.M"))
        let file = maildir.appendingPathComponent(response)
        let bytes = try [UInt8](Data(contentsOf: file))
        #expect(bytes == Array("Return-Path: <noreply@dapodik.example>\r\n".utf8) + message.bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("tmp").path).isEmpty)
        let fileMode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        for sub in ["", "tmp", "new", "cur"] {
            let mode =
                try FileManager.default.attributesOfItem(atPath: maildir.appendingPathComponent(sub).path)[
                    .posixPermissions] as? Int
            #expect(mode == 0o700, "\(sub)")
        }
    }

    @Test("concurrent deliveries get distinct names and none is lost", .timeLimit(.minutes(10)))
    func unique() async throws {
        let directory = try TemporaryDirectory("maildir")
        let transport = MaildirTransport(directory: directory.url, now: { InMemoryMailTransportTests.now })
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<200 {
                group.addTask { try await transport.send(message, envelope: envelope).response ?? "" }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(names.count == 200)
        let files = try FileManager.default.contentsOfDirectory(
            atPath: directory.url.appendingPathComponent("new").path)
        #expect(files.count == 200)
    }

    @Test("a Maildir that cannot be created is a misconfiguration", .timeLimit(.minutes(10)))
    func misconfigured() async throws {
        let directory = try TemporaryDirectory("maildir")
        let blocker = directory.url.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let transport = MaildirTransport(directory: blocker.appendingPathComponent("Maildir"))
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        let error = await #expect(throws: MailTransportError.self) {
            try await transport.send(message, envelope: envelope)
        }
        #expect(error?.disposition == .misconfigured)
        #expect(error?.code == .inputOutput)
        #expect(error?.detail.contains("Not a directory") == true)
    }
}
