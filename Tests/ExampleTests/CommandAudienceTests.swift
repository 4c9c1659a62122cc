import DapodikTestSupport
import Foundation
import Testing

/// Each command group is for one kind of account, and a reply names the command to run next, not
/// the web page's button.
@Suite("dapodik-verify commands know whose they are", .timeLimit(.minutes(10)))
struct CommandAudienceTests {
    @Test("an operator command refuses a PTK's login, and a PTK command the operator's, naming the right group")
    func wrongGroupIsRefused() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: false)
        for command in [["operator", "status"], ["operator", "request-code"], ["operator", "confirm", "123456"]] {
            let result = try await school.run(
                command + ["--as", "budi", "--json"], input: CommandFlowTests.ptkPassword + "\n", lang: "en")
            #expect(result.status == 1, "\(command): \(result.standardOutput)")
            #expect(result.standardError.contains("\"refused.wrongRole\""), "\(command): \(result.standardError)")
            #expect(result.standardError.contains("'dapodik-verify ptk'"), "\(result.standardError)")
            #expect(result.standardOutput.isEmpty, "\(command) showed \(result.standardOutput)")
        }
        for command in [["ptk", "status"], ["ptk", "continue"], ["ptk", "submit", "123456"]] {
            let result = try await school.run(
                command + ["--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
            #expect(result.status == 1, "\(command): \(result.standardOutput)")
            #expect(result.standardError.contains("adalah akun operator sekolah"), "\(result.standardError)")
            #expect(result.standardError.contains("'dapodik-verify operator'"), "\(result.standardError)")
        }
        // Nothing was sent on either account's behalf.
        let mail = try await school.run(["mailbox", "list", "--to", "budi@gmail.com", "--json"])
        let messages = try JSONSerialization.jsonObject(with: Data(mail.standardOutput.utf8)) as? [Any]
        #expect(messages?.isEmpty == true, "\(mail.standardOutput)")
        // The right group still works for both.
        let own = try await school.run(["ptk", "status", "--as", "budi"], input: CommandFlowTests.ptkPassword + "\n")
        #expect(own.status == 0, "\(own.standardError)")
        let operatorOwn = try await school.run(
            ["operator", "status", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
        #expect(operatorOwn.status == 0, "\(operatorOwn.standardError)")
    }

    @Test("a code submitted before any was sent names the command that sends one, in either language")
    func submitBeforeAnyCodeNamesTheCommand() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: false)
        let indonesian = try await school.run(
            ["ptk", "submit", "--as", "budi", "123456"], input: CommandFlowTests.ptkPassword + "\n")
        #expect(indonesian.status == 1)
        #expect(
            indonesian.standardOutput.contains(
                "Belum ada kode verifikasi yang dikirim. Minta kode dengan perintah 'dapodik-verify ptk continue "
                    + "--as budi'."),
            "\(indonesian.standardOutput)")
        #expect(!indonesian.standardOutput.contains("LANJUT"))
        let english = try await school.run(
            ["ptk", "submit", "--as", "budi", "123456", "--json"], input: CommandFlowTests.ptkPassword + "\n",
            lang: "en")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(english.standardOutput.utf8)) as? [String: Any])
        #expect(json["outcome"] as? String == "noCodeIssued", "\(english.standardOutput)")
        #expect(
            json["message"] as? String
                == "No verification code has been sent yet. Ask for one with the command 'dapodik-verify ptk "
                + "continue --as budi'.")
    }

    @Test("a status before any code names the command that asks for one, for a PTK and for the operator")
    func statusNamesTheCommand() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: false)
        let ptk = try await school.run(["ptk", "status", "--as", "budi"], input: CommandFlowTests.ptkPassword + "\n")
        #expect(ptk.status == 0, "\(ptk.standardError)")
        #expect(
            ptk.standardOutput.contains(
                "setelah Anda memintanya dengan perintah 'dapodik-verify ptk continue --as budi'."),
            "\(ptk.standardOutput)")
        #expect(!ptk.standardOutput.contains("LANJUT"), "\(ptk.standardOutput)")
        let fresh = try await CommandFlowTests.School.created()
        let own = try await fresh.run(
            ["operator", "status", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n", lang: "en")
        #expect(own.status == 0, "\(own.standardError)")
        #expect(
            own.standardOutput.contains(
                "once you ask for it with the command 'dapodik-verify operator request-code --as siti'."),
            "\(own.standardOutput)")
        #expect(!own.standardOutput.contains("LANJUT"), "\(own.standardOutput)")
    }

    @Test("a code typed after the address changed says so, and names the command that asks for a new one")
    func submitAfterCorrectionNamesTheCommand() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: true)
        let corrected = try await school.run(
            ["ptk", "correct-email", "--as", "budi", "--email", "budi.baru@gmail.com"],
            input: CommandFlowTests.ptkPassword + "\n")
        #expect(corrected.status == 0, "\(corrected.standardError)")
        let submitted = try await school.run(
            ["ptk", "submit", "--as", "budi", "123456"], input: CommandFlowTests.ptkPassword + "\n")
        #expect(submitted.status == 1)
        #expect(submitted.standardOutput.contains("sudah diganti sejak kode dikirim"), "\(submitted.standardOutput)")
        #expect(
            submitted.standardOutput.contains(
                "Minta kode baru dengan perintah 'dapodik-verify ptk continue --as budi'; kode baru akan dikirim ke"),
            "\(submitted.standardOutput)")
        #expect(!submitted.standardOutput.contains("LANJUT"), "\(submitted.standardOutput)")
    }

    @Test("the operator corrects their own address with operator correct-email, and the code goes there")
    func operatorCorrectsOwnAddress() async throws {
        let school = try await CommandFlowTests.School.created()
        let password = CommandFlowTests.operatorPassword + "\n"
        let refused = try await school.run(
            ["ptk", "correct-email", "--as", "siti", "--email", "siti.benar@gmail.com"], input: password)
        #expect(refused.status == 1, "\(refused.standardOutput)")
        let corrected = try await school.run(
            ["operator", "correct-email", "--as", "siti", "--email", "siti.benar@gmail.com"], input: password,
            lang: "en")
        #expect(corrected.status == 0, "\(corrected.standardError)")
        #expect(corrected.standardOutput.contains("The active e-mail is now: siti.benar@gmail.com"))
        #expect(corrected.standardOutput.contains("dapodik-verify operator request-code --as siti"))
        let requested = try await school.run(["operator", "request-code", "--as", "siti"], input: password)
        #expect(requested.status == 0, "\(requested.standardError)")
        let mail = try await school.run(["mailbox", "code", "--to", "siti.benar@gmail.com"])
        #expect(mail.status == 0, "\(mail.standardError)")
    }

    @Test("a mail server slow to take the code is said after a second, not waited for in silence")
    func slowMailServerIsSaid() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: false)
        let outside = school.data.deletingLastPathComponent()
        let slow = outside.appendingPathComponent("slow-sendmail")
        try Data("#!/bin/sh\nsleep 3\ncat > /dev/null\nexit 0\n".utf8).write(to: slow)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: slow.path)
        let sent = try await school.run(
            ["--sendmail", slow.path, "ptk", "continue", "--as", "budi"], input: CommandFlowTests.ptkPassword + "\n",
            lang: "en")
        #expect(sent.status == 0, "\(sent.standardError)")
        #expect(
            sent.standardError.contains("Waiting for the mail server to take the code's e-mail (at most 2 minutes)…"),
            "\(sent.standardError)")
        #expect(sent.standardOutput.contains("Code 1 was sent"), "\(sent.standardOutput)")
        // With --json, standard error stays for a JSON error only.
        let other = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Ani Lestari", "--email", "ani@gmail.com"],
            input: CommandFlowTests.operatorPassword + "\n" + CommandFlowTests.ptkPassword + "\n")
        #expect(other.status == 0, "\(other.standardError)")
        let quiet = try await school.run(
            ["--sendmail", slow.path, "ptk", "continue", "--as", "ani", "--json"],
            input: CommandFlowTests.ptkPassword + "\n")
        #expect(quiet.status == 0, "\(quiet.standardError)")
        #expect(quiet.standardError.isEmpty, "\(quiet.standardError)")
    }
}

/// `outbox drain` over messages that failed: counted, each one failed for now listed with why, and
/// where to read why for one refused for good.
struct OutboxDrainOutputTests {
    @Test(
        "a message that fails for now in a drain is listed with its recipient and the mail server's answer, not its code",
        .timeLimit(.minutes(10)))
    func failedForNowIsListed() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: false)
        let outside = school.data.deletingLastPathComponent()
        // EX_TEMPFAIL with the server's answer, then the code it was given on the last line of its errors.
        let body = outside.appendingPathComponent("body")
        let busy = outside.appendingPathComponent("busy-sendmail")
        try Data(
            """
            #!/bin/sh
            cat > \(body.path)
            echo '451 4.3.0 Mailbox temporarily unavailable' >&2
            grep -E '^[0-9]{6}$' \(body.path) | tail -n 1 >&2
            exit 75

            """.utf8
        ).write(to: busy)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: busy.path)
        let requested = try await school.run(
            ["--sendmail", busy.path, "ptk", "continue", "--as", "budi"], input: CommandFlowTests.ptkPassword + "\n")
        #expect(requested.status == 0, "\(requested.standardError)")
        let code = try #require(verificationCode(in: String(decoding: try Data(contentsOf: body), as: UTF8.self)))
        // The retry is due at most 30 seconds later.
        try await Task.sleep(for: .seconds(31))
        for (lang, words) in [("en", "budi@gmail.com: not sent yet"), ("id", "budi@gmail.com: belum terkirim")] {
            let drained = try await school.run(["--sendmail", busy.path, "outbox", "drain"], lang: lang)
            #expect(drained.status == 0, "\(drained.standardError)")
            #expect(drained.standardOutput.contains(words), "\(drained.standardOutput)")
            #expect(
                drained.standardOutput.contains("451 4.3.0 Mailbox temporarily unavailable"),
                "\(drained.standardOutput)")
            #expect(!drained.standardOutput.contains(code), "\(drained.standardOutput)")
            #expect(!drained.standardError.contains(code), "\(drained.standardError)")
            // A drain right after finds nothing due: the next one in the other language waits for the retry.
            try await Task.sleep(for: .seconds(lang == "en" ? 61 : 0))
        }
    }

    @Test(
        "a message refused for good in a drain is counted and the drain says where its reason is",
        .timeLimit(.minutes(10)))
    func refusedForGoodIsPointedTo() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: false)
        let outside = school.data.deletingLastPathComponent()
        func sendmail(_ name: String, exiting status: Int) throws -> String {
            let script = outside.appendingPathComponent(name)
            try Data("#!/bin/sh\ncat > /dev/null\nexit \(status)\n".utf8).write(to: script)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            return script.path
        }
        // EX_TEMPFAIL now; the retry is due 30 seconds later, and then the address is refused (EX_NOUSER).
        let requested = try await school.run(
            ["--sendmail", try sendmail("busy-sendmail", exiting: 75), "ptk", "continue", "--as", "budi"],
            input: CommandFlowTests.ptkPassword + "\n", lang: "en")
        #expect(requested.status == 0, "\(requested.standardError)")
        try await Task.sleep(for: .seconds(31))
        let refusing = try sendmail("refusing-sendmail", exiting: 67)
        let drained = try await school.run(["--sendmail", refusing, "outbox", "drain"], lang: "en")
        #expect(drained.status == 0, "\(drained.standardError)")
        #expect(drained.standardOutput.contains("failed: 1"), "\(drained.standardOutput)")
        #expect(
            drained.standardOutput.contains("1 message(s) refused for good; why is in each account's delivery status"),
            "\(drained.standardOutput)")
        let status = try await school.run(
            ["ptk", "delivery", "--as", "budi"], input: CommandFlowTests.ptkPassword + "\n", lang: "en")
        #expect(status.standardOutput.contains("could not be delivered"), "\(status.standardOutput)")
    }
}
