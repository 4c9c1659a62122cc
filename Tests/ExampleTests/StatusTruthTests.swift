import DapodikVerification
import Foundation
import Testing

@testable import dapodik_verify

/// What the CLI says about a delivery and a code never contradicts the policy or promises what
/// nothing does (issue 11, items 14 and 15).
@Suite("dapodik-verify status tells the truth")
struct StatusTruthTests {
    static let now = Date(timeIntervalSince1970: 1_782_874_800)  // 1 July 2026, 10.00 WIB

    static func status(
        _ state: DeliveryStatus.State, mayRequestNewCode: Bool = false, newCodeAllowedAt: Date? = nil,
        codesLeft: Int = 0
    ) -> DeliveryStatus {
        DeliveryStatus(
            state: state, maskedAddress: "b•••@gmail.com", codeOrdinal: 1, codeExpiresAt: nil, codeExpiresAtText: nil,
            mayRequestNewCode: mayRequestNewCode, newCodeAllowedAt: newCodeAllowedAt, codesLeft: codesLeft,
            attemptsLeft: 0, timeZone: .wib, explanation: LocalizedText(indonesian: "", english: ""))
    }

    @Test("with no new code until a person acts, the library's why and who is said, never a made-up limit")
    func noNewCodeWithoutAnUnlock() {
        // An operator locked by wrong codes in a row: an administrator unlocks, not "the school operator".
        var locked = Self.status(.attemptsExhausted)
        locked.explanation = LocalizedText(
            indonesian: "Terlalu banyak kode salah berturut-turut untuk akun ini. Administrator sistem perlu membuka "
                + "kuncinya.",
            english:
                "Too many wrong codes in a row for this account. An administrator of the system needs to unlock it.")
        for outcome in [CodeSubmissionResult.Outcome.expired, .attemptsExhausted, .wrong(attemptsLeft: 0)] {
            let message = VerificationOutput.nextStep(after: outcome, status: locked)
            #expect(message == locked.explanation, "\(message.english)")
            #expect(!message.english.contains("Ask for a new code"), "\(message.english)")
            #expect(!message.english.contains("limit is reached"), "\(message.english)")
            #expect(!message.indonesian.contains("hubungi operator sekolah"), "\(message.indonesian)")
        }
        let later = VerificationOutput.nextStep(
            after: .expired, status: Self.status(.expired, newCodeAllowedAt: Self.now.addingTimeInterval(3600)))
        #expect(later.english.contains("from Wednesday, 1 July 2026 at 11:00 WIB"), "\(later.english)")
        let now = VerificationOutput.nextStep(
            after: .attemptsExhausted, status: Self.status(.attemptsExhausted, mayRequestNewCode: true, codesLeft: 3))
        #expect(now.english == "Too many wrong codes. Ask for a new code (3 left).")
        let lastWrong = VerificationOutput.nextStep(
            after: .wrong(attemptsLeft: 0),
            status: Self.status(.attemptsExhausted, mayRequestNewCode: true, codesLeft: 3))
        #expect(
            lastWrong.indonesian
                == "Kode verifikasi salah, dan itu percobaan terakhir untuk kode yang sudah dikirim. Minta kode baru "
                + "(sisa 3).")
    }

    @Test("a wait for a daily limit never promises 'then 0 left'; a cooldown's count is kept")
    func noZeroLeftAfterAWait() {
        let tomorrow = Self.now.addingTimeInterval(24 * 3600)
        let daily = StatusPresentation.lines(
            Self.status(.attemptsExhausted, newCodeAllowedAt: tomorrow, codesLeft: 0), language: .english,
            now: Self.now)
        #expect(
            daily.contains("A new code may be asked for from Thursday, 2 July 2026 at 10:00 WIB (UTC+7)."), "\(daily)")
        #expect(!daily.contains { $0.contains("0 left") }, "\(daily)")
        let harian = StatusPresentation.lines(
            Self.status(.attemptsExhausted, newCodeAllowedAt: tomorrow, codesLeft: 0), language: .indonesian,
            now: Self.now)
        #expect(!harian.contains { $0.contains("sisa 0") }, "\(harian)")
        let cooldown = StatusPresentation.lines(
            Self.status(.attemptsExhausted, newCodeAllowedAt: Self.now.addingTimeInterval(60), codesLeft: 3),
            language: .english, now: Self.now)
        #expect(cooldown.contains { $0.hasSuffix("(then 3 left).") }, "\(cooldown)")
    }

    @Test("a retry that is due but has not run says that no dispatcher runs and what to run")
    func overdueRetry() {
        let reason = LocalizedText(indonesian: "server sibuk", english: "server busy")
        let due = Self.now.addingTimeInterval(-60)
        let lines = StatusPresentation.lines(
            Self.status(.retrying(reason: reason, nextAttemptAt: due, attempts: 1)), language: .english, now: Self.now)
        #expect(
            lines.contains { $0.contains("has not run: no dispatcher is running. Run: dapodik-verify outbox drain") })
        let ahead = StatusPresentation.lines(
            Self.status(.retrying(reason: reason, nextAttemptAt: Self.now.addingTimeInterval(60), attempts: 1)),
            language: .indonesian, now: Self.now)
        #expect(ahead.contains { $0.contains("'dapodik-verify outbox run' atau 'outbox drain' dari cron") })
    }

    @Test(
        "after the attempts are exhausted, ptk delivery never says earlier codes still work",
        .timeLimit(.minutes(10)))
    func exhaustedDelivery() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: true)
        let code = try await school.run(["mailbox", "code", "--to", "budi@gmail.com"])
        let right = code.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let wrong = right.first == "9" ? "0" + right.dropFirst() : "9" + right.dropFirst()
        for attempt in 1...5 {
            let submitted = try await school.run(
                ["ptk", "submit", "--as", "budi", wrong], input: "Guru-Teladan-2026\n", lang: "en")
            #expect(submitted.status == 1)
            if attempt == 5 {
                // The last wrong code says so, and when a new code may be asked for: not "0 left".
                #expect(!submitted.standardOutput.contains("Attempts left: 0"), "\(submitted.standardOutput)")
                #expect(
                    submitted.standardOutput.contains("that was the last attempt for the codes sent"),
                    "\(submitted.standardOutput)")
                #expect(submitted.standardOutput.contains("A new code may be asked for from"))
            }
        }
        let delivery = try await school.run(
            ["ptk", "delivery", "--as", "budi"], input: "Guru-Teladan-2026\n", lang: "en")
        #expect(delivery.status == 0, "\(delivery.standardError)")
        // The count beside a wait is what may be asked for then (a new challenge's five), said so.
        #expect(delivery.standardOutput.contains("(then 5 left)"), "\(delivery.standardOutput)")
        #expect(delivery.standardOutput.contains("Too many wrong codes"), "\(delivery.standardOutput)")
        #expect(!delivery.standardOutput.contains("still work"), "\(delivery.standardOutput)")
        #expect(!delivery.standardOutput.contains("is valid until"), "\(delivery.standardOutput)")
    }

    @Test("a code's validity is stated only while it can still be accepted; an expired one says when it expired")
    func validityOnlyWhileAccepted() {
        let expiry = Self.now.addingTimeInterval(-600)
        let reason = LocalizedText(indonesian: "server sibuk", english: "server busy")
        func lines(_ state: DeliveryStatus.State, expiresAt: Date) -> [String] {
            var status = Self.status(state)
            status.codeExpiresAt = expiresAt
            return StatusPresentation.lines(status, language: .english, now: Self.now)
        }
        let later = Self.now.addingTimeInterval(600)
        let accepting: [DeliveryStatus.State] = [
            .queued(since: Self.now), .sending(since: Self.now),
            .handedOver(at: Self.now, maskedAddress: "b•••@gmail.com"),
            .retrying(reason: reason, nextAttemptAt: later, attempts: 1),
        ]
        for state in accepting {
            #expect(lines(state, expiresAt: later).contains { $0.hasPrefix("Code no. 1 is valid until") }, "\(state)")
        }
        let closed: [DeliveryStatus.State] = [
            .attemptsExhausted, .failed(reason: reason, whatToDo: reason), .verified(at: Self.now), .expired,
        ]
        for state in closed {
            #expect(!lines(state, expiresAt: later).contains { $0.contains("valid until") }, "\(state)")
        }
        #expect(!lines(.attemptsExhausted, expiresAt: expiry).contains { $0.contains("Code no. 1") })
        let expired = lines(.expired, expiresAt: expiry)
        #expect(expired.contains("Code no. 1 expired Wednesday, 1 July 2026 at 09:50 WIB (UTC+7)"), "\(expired)")
    }
}
