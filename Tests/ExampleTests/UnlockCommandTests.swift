import Foundation
import Testing

/// `ptk unlock`: the operator's way to lift the lock after too many wrong passwords or codes
/// (issue 11 items 2 and 5).
@Suite("ptk unlock")
struct UnlockCommandTests {
    typealias School = CommandFlowTests.School
    static let operatorPassword = CommandFlowTests.operatorPassword

    @Test("the operator unlocks a PTK of the school, and the feed records it", .timeLimit(.minutes(10)))
    func unlocksAndRecords() async throws {
        let school = try await School.make()
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi.santoso@gmail.com"],
            input: Self.operatorPassword + "\nGuru-Teladan-2026\n")
        #expect(registered.status == 0, "\(registered.standardError)")

        let unlocked = try await school.run(
            ["ptk", "unlock", "--as", "siti", "budi.santoso"], input: Self.operatorPassword + "\n", lang: "en")
        #expect(unlocked.status == 0, "\(unlocked.standardError)")
        #expect(unlocked.standardOutput.contains("Account budi.santoso unlocked"), "\(unlocked.standardOutput)")

        let feed = try await school.run(["feed"])
        #expect(feed.standardOutput.contains("\taccountUnlocked"), "\(feed.standardOutput)")
    }

    @Test("an account that is not a PTK of the operator's school is refused, and nothing is recorded")
    func refusesOthers() async throws {
        let school = try await School.make()
        let refused = try await school.run(
            ["ptk", "unlock", "--as", "siti", "nobody"], input: Self.operatorPassword + "\n", lang: "en")
        #expect(refused.status != 0)
        let feed = try await school.run(["feed"])
        #expect(!feed.standardOutput.contains("accountUnlocked"), "\(feed.standardOutput)")
    }

    @Test("the administrator unlocks a school's operator by NPSN; an unknown school is refused")
    func unlocksOperator() async throws {
        let school = try await School.make()
        let unlocked = try await school.run(["school", "unlock-operator", "--npsn", "20100101"], lang: "en")
        #expect(unlocked.status == 0, "\(unlocked.standardError)")
        #expect(unlocked.standardOutput.contains("Operator account siti (NPSN 20100101) unlocked"))
        let feed = try await school.run(["feed"])
        #expect(feed.standardOutput.contains("\taccountUnlocked"), "\(feed.standardOutput)")
        let unknown = try await school.run(["school", "unlock-operator", "--npsn", "20999999"])
        #expect(unknown.status == 1, "\(unknown.standardError)")
    }
}
