import DapodikAccounts
import DapodikLanguage
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
}
