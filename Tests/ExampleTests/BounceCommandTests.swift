import DapodikTestSupport
import Foundation
import Testing

/// `bounce read` (standard input, as a Postfix pipe runs it) and `bounce maildir` over a real data
/// directory: the code's e-mail lands in the data directory's Maildir with its return address,
/// a bounce made from the Postfix fixture is piped back, and the PTK's delivery status says it.
@Suite("dapodik-verify bounce")
struct BounceCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DapodikMailTests/Fixtures/Bounces")

    /// The fixture `name` as a bounce of the newest message in the data directory's Maildir.
    static func bounce(_ name: String, of school: CommandFlowTests.School) throws -> String {
        let folder = school.data.appendingPathComponent("mail/new")
        let messages = try FileManager.default.contentsOfDirectory(atPath: folder.path).map {
            try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }
        // Budi's code if it was sent, else the operator's.
        let sent = messages.first { $0.contains("budi@gmail.com") } ?? messages.first ?? ""
        func header(_ name: String) -> String {
            let line = sent.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") } ?? ""
            return line.dropFirst(name.count + 1).trimmingCharacters(in: CharacterSet(charactersIn: " <>"))
        }
        return try String(contentsOf: fixtures.appendingPathComponent(name + ".eml"), encoding: .utf8)
            .replacingOccurrences(of: "%RETURN_PATH%", with: header("Return-Path"))
            .replacingOccurrences(of: "%RECIPIENT%", with: "budi@gmail.com")
            .replacingOccurrences(of: "%MESSAGE_ID%", with: header("Message-ID"))
    }

    @Test("a bounce on standard input is recorded and the PTK's delivery status says why", .timeLimit(.minutes(10)))
    func readFromStandardInput() async throws {
        let school = try await CommandFlowTests.School.make()
        let ptk = "Guru-Teladan-2026\n"
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi@gmail.com"],
            input: CommandFlowTests.operatorPassword + "\n" + ptk)
        #expect(registered.status == 0, "\(registered.standardError)")
        let sent = try await school.run(["ptk", "continue", "--as", "budi"], input: ptk)
        #expect(sent.status == 0, "\(sent.standardError)")
        let bounce = try Self.bounce("postfix-mailbox-full", of: school)
        #expect(bounce.contains("bounce+"))

        let read = try await school.run(["bounce", "read"], input: bounce)
        #expect(read.status == 0, "\(read.standardError)")
        #expect(
            read.standardOutput.contains(
                "tercatat: kode dikembalikan oleh server penerima (5.2.2): kotak surat penuh."),
            "\(read.standardOutput)")
        let again = try await school.run(["bounce", "read", "--json"], input: bounce)
        #expect(again.standardOutput.contains("\"outcome\" : \"alreadyRecorded\""), "\(again.standardOutput)")

        let delivery = try await school.run(["ptk", "delivery", "--as", "budi"], input: ptk)
        #expect(delivery.standardOutput.contains("dikembalikan oleh server penerima"), "\(delivery.standardOutput)")
        #expect(delivery.standardOutput.contains("kotak surat penuh"))
        let english = try await school.run(["ptk", "delivery", "--as", "budi"], input: ptk, lang: "en")
        #expect(
            english.standardOutput.contains("was returned by the receiving mail server"), "\(english.standardOutput)")
        let feed = try await school.run(["feed", "--json"])
        #expect(feed.standardOutput.contains("\"deliveryReturned\""))

        let garbage = try await school.run(["bounce", "read"], input: "   \n")
        #expect(garbage.status == 65, "\(garbage.standardError)")
        let emptyRecipient = try await school.run(["bounce", "read", "--recipient", ""], input: bounce, lang: "en")
        #expect(emptyRecipient.status == 65, "\(emptyRecipient.standardError)")
        #expect(emptyRecipient.standardError.contains("--recipient is empty."))
    }

    @Test("a bounce Maildir that is not there is an error (66), not \"no new messages\"", .timeLimit(.minutes(10)))
    func missingMaildir() async throws {
        let school = try await CommandFlowTests.School.make()
        let missing = school.data.deletingLastPathComponent().appendingPathComponent("bounces-typo").path
        let result = try await school.run(["bounce", "maildir", missing], lang: "en")
        #expect(result.status == 66, "\(result.standardOutput) \(result.standardError)")
        #expect(result.standardError.contains("There is no Maildir"), "\(result.standardError)")
        // An empty path names no directory at all: said as such (65), as for every empty argument.
        let empty = try await school.run(["bounce", "maildir", ""], lang: "en")
        #expect(empty.status == 65, "\(empty.standardError)")
        #expect(empty.standardError.contains("The argument <maildir> is empty."), "\(empty.standardError)")
    }

    @Test("a bounce Maildir is read once; an auto-reply changes nothing", .timeLimit(.minutes(10)))
    func readMaildir() async throws {
        let school = try await CommandFlowTests.School.make()
        let maildir = school.data.deletingLastPathComponent().appendingPathComponent("bounces")
        try FileManager.default.createDirectory(
            at: maildir.appendingPathComponent("new"), withIntermediateDirectories: true)
        try Data(Self.bounce("vacation-auto-reply", of: school).utf8).write(
            to: maildir.appendingPathComponent("new/1764559800.A.host"))
        let read = try await school.run(["bounce", "maildir", maildir.path])
        #expect(read.status == 0, "\(read.standardError)")
        #expect(read.standardOutput.contains("1764559800.A.host: balasan otomatis; tidak ada yang diubah."))
        let again = try await school.run(["bounce", "maildir", maildir.path], lang: "en")
        #expect(again.standardOutput.contains("No new messages."))
    }

    @Test("a message that is not a bounce is said so in the person's language", .timeLimit(.minutes(10)))
    func notABounceInWords() async throws {
        let school = try await CommandFlowTests.School.make()
        let letter = "From: guru@gmail.com\r\nTo: verifikasi@dapodik.example\r\nSubject: Halo\r\n\r\nTerima kasih.\r\n"
        for (lang, words) in [
            ("id", "diabaikan (bukan pantulan); tidak ada yang diubah."),
            ("en", "ignored (not a bounce); nothing changed."),
        ] {
            let read = try await school.run(["bounce", "read"], input: letter, lang: lang)
            #expect(read.status == 0, "\(read.standardError)")
            #expect(read.standardOutput.contains(words), "\(read.standardOutput)")
            #expect(!read.standardOutput.contains("notABounce"), "\(read.standardOutput)")
        }
    }

    @Test("a folder without new/ is not taken for an empty Maildir (66)", .timeLimit(.minutes(10)))
    func folderThatIsNotAMaildir() async throws {
        let school = try await CommandFlowTests.School.make()
        let folder = school.data.deletingLastPathComponent().appendingPathComponent("eml-files")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("From: a@b.example\r\n\r\nx\r\n".utf8).write(to: folder.appendingPathComponent("1.eml"))
        let result = try await school.run(["bounce", "maildir", folder.path], lang: "en")
        #expect(result.status == 66, "\(result.standardOutput) \(result.standardError)")
        #expect(result.standardError.contains("is not a Maildir: it holds no new/ folder"), "\(result.standardError)")
        #expect(!result.standardOutput.contains("No new messages"))
    }

    @Test(
        "a message the reader may not open is set aside as unreadable; the bounces after it are recorded",
        .timeLimit(.minutes(10)),
        .runsAsAnotherUser)
    func unreadableMessageBlocksNothing() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: true)
        let maildir = school.data.deletingLastPathComponent().appendingPathComponent("bounces")
        for folder in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(
                at: maildir.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let unreadable = maildir.appendingPathComponent("new/1764559800.A.host")
        try Data("secret".utf8).write(to: unreadable)
        try Data(Self.bounce("postfix-mailbox-full", of: school).utf8).write(
            to: maildir.appendingPathComponent("new/1764559900.B.host"))
        // The service's user owns the data directory and the Maildir; root owns the one message.
        let nobody = ["-R", "65534:65534", school.data.deletingLastPathComponent().path]
        #expect(try await ChildProcess.run("/bin/chown", nobody, in: URL(fileURLWithPath: "/")).status == 0)
        #expect(chown(unreadable.path, 0, 0) == 0 && chmod(unreadable.path, 0o000) == 0)
        let read = try await ExampleProcess.runAsNobody([
            "--lang", "en", "--data", school.data.path, "bounce", "maildir", maildir.path,
        ])
        #expect(read.status == 0, "\(read.standardOutput) \(read.standardError)")
        #expect(read.standardOutput.contains("1764559800.A.host: unreadable:"), "\(read.standardOutput)")
        #expect(read.standardOutput.contains("1764559900.B.host: recorded"), "\(read.standardOutput)")
        let left = try FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("new").path)
        #expect(left.isEmpty, "\(left)")
        let seen = try FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent("cur").path)
        #expect(seen.count == 2, "\(seen)")
        let delivery = try await ExampleProcess.runAsNobody(
            ["--lang", "en", "--data", school.data.path, "feed", "--json"])
        #expect(delivery.standardOutput.contains("\"deliveryReturned\""), "\(delivery.standardOutput)")
    }

    @Test(
        "a data directory bounce read cannot use is the mail system's to retry (75), never a final failure",
        .timeLimit(.minutes(10)),
        .runsAsAnotherUser)
    func unusableStoreIsTemporary() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: true)
        try #require(chmod(school.data.deletingLastPathComponent().path, 0o711) == 0)
        try #require(chmod(school.data.path, 0o755) == 0)
        let bounce = try Self.bounce("postfix-mailbox-full", of: school)
        let read = try await ExampleProcess.runAsNobody(
            ["--lang", "en", "--data", school.data.path, "bounce", "read"], input: bounce)
        #expect(read.status == 75, "\(read.standardOutput) \(read.standardError)")
        #expect(read.standardError.contains("The mail system will deliver this bounce again later."))
        // Delivered again by the service's own user, it is recorded.
        let again = try await school.run(["bounce", "read"], input: bounce, lang: "en")
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardOutput.contains("recorded"), "\(again.standardOutput)")
    }
}
