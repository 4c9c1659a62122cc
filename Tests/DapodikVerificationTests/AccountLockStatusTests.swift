import DapodikVerification
import Foundation
import Testing

/// After 30 wrong codes in a row the account waits for a person's unlock, not for a sending limit:
/// the delivery status says so, and who unlocks it, to the holder and to the school's staff.
@Suite("the status of an account locked by wrong codes in a row", .timeLimit(.minutes(10)))
struct AccountLockStatusTests {
    /// Submits wrong codes for `account`, waiting out every timed bound, until 30 in a row lock it.
    func lock(_ account: Account, in harness: Harness) async throws {
        var wrong = 0
        while wrong < 30 {
            do {
                _ = try await harness.service.requestCode(for: account.id, by: account.id)
            } catch {
                harness.clock.set(try #require(error.retryAt, "only an unlock helps after \(wrong) wrong codes"))
                continue
            }
            let code = try #require(harness.latestCode(to: account.email!))
            for _ in 0..<5 {
                _ = try await harness.service.submitCode(wrongCode(code), for: account.id, by: account.id)
            }
            wrong += 5
        }
    }

    @Test(
        "names the lock and who unlocks it, never a code sending limit",
        arguments: [Role.ptk, .operator])
    func namesTheLock(role: Role) async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator(
            npsn: "20100202", email: "op@sdn2.sch.id", username: "operator2")
        let account = role == .ptk ? try await harness.registerPTK(by: manager) : try await harness.createSchool()
        try await lock(account, in: harness)

        let own = try await harness.service.deliveryStatus(for: account.id, by: account.id)
        #expect(!own.mayRequestNewCode)
        #expect(own.newCodeAllowedAt == nil)
        let unlocker =
            role == .ptk
            ? LocalizedText(
                indonesian: "Operator sekolah perlu membuka kuncinya.",
                english: "The school operator needs to unlock it.")
            : LocalizedText(
                indonesian: "Administrator sistem perlu membuka kuncinya.",
                english: "An administrator of the system needs to unlock it.")
        #expect(
            own.explanation.english == "Too many wrong codes in a row for this account. " + unlocker.english,
            "\(own.explanation.english)")
        #expect(
            own.explanation.indonesian == "Terlalu banyak kode salah berturut-turut untuk akun ini. "
                + unlocker.indonesian, "\(own.explanation.indonesian)")
        guard role == .ptk else { return }
        let staff = try await harness.service.deliveryStatus(for: account.id, by: manager.id)
        #expect(
            staff.explanation.english
                == "Too many wrong codes in a row for this account. The school operator needs to unlock it.",
            "\(staff.explanation.english)")
        #expect(!staff.explanation.indonesian.contains("Batas pengiriman"), "\(staff.explanation.indonesian)")
    }
}
