import DapodikAccounts
import DapodikLanguage
import Foundation
import Testing

@testable import DapodikMail

struct MailTransportErrorTests {
    @Test(
        "details never keep a credential",
        arguments: [
            ("cannot connect to smtp://ops:s3cret@smtp.example/", "s3cret"),
            ("msmtp: password=hunter2 rejected", "hunter2"),
            ("using --passwordeval cat-secret-file", "cat-secret-file"),
            ("server said: AUTH PLAIN AGJ1ZGkAaHVudGVyMg== failed", "AGJ1ZGkAaHVudGVyMg=="),
            ("token: abc.def.ghi", "abc.def.ghi"),
        ])
    func scrubbed(detail: String, secret: String) {
        let error = MailTransportError(.rejected, disposition: .permanent, transport: "sendmail", detail: detail)
        #expect(!error.detail.contains(secret), "\(error.detail)")
        #expect(error.detail.contains(CredentialScrubber.mask))
        #expect(!error.message.indonesian.contains(secret) && !error.message.english.contains(secret))
    }

    @Test("a detail without credentials is kept, on one line")
    func kept() {
        let error = MailTransportError(
            .deferred, disposition: .transient, transport: "msmtp", smtpReplyCode: 451,
            detail: "server message: 451 4.3.0 try again later\nmsmtp: could not send mail")
        #expect(error.detail == "server message: 451 4.3.0 try again later msmtp: could not send mail")
        #expect(error.description.hasPrefix("Email belum dapat dikirim karena gangguan sementara"))
        #expect(error.message(in: .english).hasPrefix("The e-mail could not be sent yet"))
    }

    @Test("a server's reply is kept apart from the detail: scrubbed, one line of text, and cut to its limit")
    func serverReply() throws {
        let error = MailTransportError(
            .rejected, disposition: .permanent, transport: "smtp", smtpReplyCode: 550,
            detail: "RCPT TO:<siti@gmail.com>: 550 5.1.1 no such user",
            serverReply: "550 5.1.1 no such user\r\n\u{1B}[2J token: abc\u{9B}31m")
        let reply = try #require(error.serverReply)
        #expect(reply == "550 5.1.1 no such user  [2J token: [REDACTED] 31m", "\(reply)")
        #expect(!reply.unicodeScalars.contains { $0.properties.generalCategory == .control })

        let long = MailTransportError(
            .rejected, disposition: .permanent, transport: "smtp", detail: "",
            serverReply: "550 " + String(repeating: "é", count: 2_000))
        #expect(long.serverReply?.count == MailTransportError.serverReplyLimit)
        #expect(long.serverReply?.hasPrefix("550 éé") == true)
        #expect(
            MailTransportError(.timedOut, disposition: .transient, transport: "smtp", detail: "").serverReply == nil)
    }

    @Test("an error encoded before server replies were kept decodes without one; one with a reply round-trips")
    func serverReplyCoding() throws {
        let older = Data(
            #"{"code":"transport.rejected","disposition":"permanent","transport":"sendmail","detail":"x"}"#.utf8)
        let decoded = try JSONDecoder().decode(MailTransportError.self, from: older)
        #expect(decoded.serverReply == nil && decoded.detail == "x")
        let error = MailTransportError(
            .rejected, disposition: .permanent, transport: "smtp", detail: "d", serverReply: "550 5.1.1 no")
        #expect(try JSONDecoder().decode(MailTransportError.self, from: JSONEncoder().encode(error)) == error)
    }
}
