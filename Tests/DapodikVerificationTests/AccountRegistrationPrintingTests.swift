import DapodikAccounts
import Testing

@testable import DapodikVerification

/// A registration carries a password in the clear until the service hashes it: printing one (a log
/// line, a debugger, `dump`) must not show it.
struct AccountRegistrationPrintingTests {
    @Test("description, debug description, interpolation, dump and a collection of them show no password or NIK")
    func passwordNeverPrinted() throws {
        let password = "Sekolah-Hebat-2026"
        let registration = AccountRegistration(
            displayName: try DisplayName("Budi Santoso"), username: try Username("budi.santoso"),
            email: try EmailAddress("budi@gmail.com"), password: password, nuptk: try NUPTK("1234567890123456"),
            nik: try NIK("3201014501900001"))
        var dumped = ""
        dump(registration, to: &dumped)
        var dumpedList = ""
        dump([registration], to: &dumpedList)
        let printed = [
            registration.description, registration.debugDescription, "\(registration)",
            String(reflecting: registration), String(describing: [registration]), dumped, dumpedList,
        ]
        for text in printed {
            #expect(!text.contains(password), "\(text)")
            #expect(!text.contains("3201014501900001") && text.contains("••••0001"), "\(text)")
            #expect(text.contains("••••"), "\(text)")
        }
        // The rest is there to tell registrations apart.
        #expect(
            registration.description
                == "AccountRegistration(displayName: Budi Santoso, username: budi.santoso, email: budi@gmail.com, "
                + "password: ••••, nuptk: 1234567890123456, nik: ••••0001)")
        #expect(dumped.contains("budi@gmail.com") && dumped.contains("Budi Santoso"), "\(dumped)")
    }
}
