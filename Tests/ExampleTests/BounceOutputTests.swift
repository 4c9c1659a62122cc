import Foundation
import Testing

/// A returned code in the CLI's structured and report outputs: a bounce piped to `bounce read`
/// shows in `ptk delivery --json` and in `report` (text and `--json`) with the address masked.
@Suite("dapodik-verify bounce outputs")
struct BounceOutputTests {
    static let ptkPassword = "Guru-Teladan-2026\n"

    /// A school with Budi registered, his code sent, and the fixture `name` read back as its bounce.
    static func schoolWithBounce(_ name: String) async throws -> CommandFlowTests.School {
        let school = try await CommandFlowTests.School.make()
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi@gmail.com"],
            input: CommandFlowTests.operatorPassword + "\n" + ptkPassword)
        #expect(registered.status == 0, "\(registered.standardError)")
        let sent = try await school.run(["ptk", "continue", "--as", "budi"], input: ptkPassword)
        #expect(sent.status == 0, "\(sent.standardError)")
        let read = try await school.run(["bounce", "read"], input: try BounceCommandTests.bounce(name, of: school))
        #expect(read.status == 0, "\(read.standardError)")
        return school
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test("ptk delivery --json carries a delayed bounce in the chosen language", .timeLimit(.minutes(10)))
    func deliveryJSON() async throws {
        let school = try await Self.schoolWithBounce("postfix-delayed")
        let indonesian = try await school.run(["ptk", "delivery", "--as", "budi", "--json"], input: Self.ptkPassword)
        #expect(indonesian.status == 0, "\(indonesian.standardError)")
        let returned = try #require(
            try Self.object(indonesian.standardOutput)["returned"] as? [String: Any], "\(indonesian.standardOutput)")
        #expect(returned["outcome"] as? String == "delayed")
        #expect(returned["statusCode"] as? String == "4.2.2")
        #expect(returned["reason"] as? String == "kotak surat penuh")
        #expect((returned["advice"] as? String)?.hasPrefix("Alamatnya benar") == true)
        #expect(returned["willRetryUntil"] as? String == "2026-12-06T03:20:03Z")
        #expect((returned["willRetryUntilText"] as? String)?.contains("6 Desember 2026 pukul 10.20 WIB") == true)
        #expect((returned["reportedAtText"] as? String)?.hasSuffix("WIB") == true, "\(returned)")
        #expect(returned["reportedAt"] is String)
        #expect(returned["addressLikelyWrong"] as? Bool == false)

        let english = try await school.run(
            ["ptk", "delivery", "--as", "budi", "--json"], input: Self.ptkPassword, lang: "en")
        let englishReturned = try #require(try Self.object(english.standardOutput)["returned"] as? [String: Any])
        #expect(englishReturned["reason"] as? String == "the mailbox is full")
        #expect((englishReturned["advice"] as? String)?.hasPrefix("The address is right") == true)
    }

    @Test("report shows the returned count and the flagged address, masked", .timeLimit(.minutes(10)))
    func report() async throws {
        let school = try await Self.schoolWithBounce("gmail-address-not-found")
        let json = try await school.run(
            ["report", "--as", "siti", "--json"], input: CommandFlowTests.operatorPassword + "\n")
        #expect(json.status == 0, "\(json.standardError)")
        #expect(!json.standardOutput.contains("budi@gmail.com"), "\(json.standardOutput)")
        let report = try Self.object(json.standardOutput)
        #expect(report["returnedCount"] as? Int == 1, "\(json.standardOutput)")
        let flagged = try #require(report["flaggedAddresses"] as? [[String: Any]], "\(json.standardOutput)")
        #expect(flagged.count == 1)
        #expect(flagged.first?["username"] as? String == "budi")
        #expect(flagged.first?["statusCode"] as? String == "5.1.1")
        let masked = try #require(flagged.first?["maskedAddress"] as? String)
        #expect(masked.hasSuffix("@gmail.com") && masked != "budi@gmail.com", "\(masked)")
        #expect((flagged.first?["reason"] as? String)?.contains("tidak dikenal") == true)

        let text = try await school.run(["report", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
        #expect(text.status == 0, "\(text.standardError)")
        #expect(!text.standardOutput.contains("budi@gmail.com"))
        #expect(text.standardOutput.contains("Dikembalikan 1"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains("Alamat perlu diperiksa: budi"), "\(text.standardOutput)")
        #expect(text.standardOutput.contains(masked))
        let english = try await school.run(
            ["report", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n", lang: "en")
        #expect(english.standardOutput.contains("Returned 1"), "\(english.standardOutput)")
        #expect(english.standardOutput.contains("Address to check: budi"), "\(english.standardOutput)")
    }
}
