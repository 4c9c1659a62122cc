import DapodikAccounts
import Testing

@testable import DapodikVerification

/// `Configuration.validate()` finds at start what the service would otherwise find only when it
/// sends: a sender name that breaks every e-mail, a return-path local part that makes no address.
struct ConfigurationCheckTests {
    static func configuration() throws -> VerificationService.Configuration {
        try Harness.make(.memory).service.configuration
    }

    @Test("the defaults, a local part of 11 characters, an empty one and none are valid")
    func validSettings() throws {
        var configuration = try Self.configuration()
        try configuration.validate()
        for prefix in ["abcdefghijk", "", nil, "kembali.ke"] as [String?] {
            configuration.returnPathLocalPart = prefix
            #expect(throws: Never.self) { try configuration.validate() }
        }
        configuration.senderName = "Verifikasi Dapodik — Dinas Pendidikan"
        #expect(throws: Never.self) { try configuration.validate() }
    }

    @Test(
        "a local part too long or with a character no address holds is refused, naming the setting",
        arguments: ["abcdefghijkl", "bounce\r\nBcc: semua@contoh.id", "bounce me", "bounce@x", "kembali\0"])
    func invalidReturnPath(_ prefix: String) throws {
        var configuration = try Self.configuration()
        configuration.returnPathLocalPart = prefix
        let error = #expect(throws: VerificationError.self) { try configuration.validate() }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.english.contains("returnPathLocalPart") == true)
        #expect(error?.message.indonesian.contains("tidak membentuk alamat email yang sah") == true)
        #expect(error?.message.english.contains("\r") == false, "control characters are shown as U+XXXX")
    }

    @Test("a sender name with a line break or NUL is refused", arguments: ["Verifikasi\r\nBcc: x@y.id", "A\nB", "A\0"])
    func invalidSenderName(_ name: String) throws {
        var configuration = try Self.configuration()
        configuration.senderName = name
        let error = #expect(throws: VerificationError.self) { try configuration.validate() }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.indonesian.contains("senderName") == true)
    }
}
