import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// The service cycle's shortcuts (PerformanceHistory.md, "The service's cycle, sixth pass") give what the
/// longer way gave: the digits a request holds are those its seal opens to, the expiry's words are
/// those ``VerificationService/moment(_:in:seenAt:preposition:)`` formats, and the outbox's due
/// index values are those of the old formatting, byte for byte.
@Suite(.timeLimit(.minutes(10)))
struct CycleShortcutEquivalenceTests {
    @Test("the code a request holds is the one its sealed message opens to, under every kind of seal key")
    func heldDigitsAreTheSealedOnes() async throws {
        var random = SeededGenerator(seed: 0x5E_A1ED)
        for round in 0..<24 {
            let harness = try Harness.make(.memory)
            let keyCount = Int.random(in: 1...3, using: &random)
            let explicitCount = Int.random(in: 0...2, using: &random)
            let service = try harness.sibling { configuration in
                var ring = try CodeKeyRing(current: .random(id: CodeKeyID("k0")))
                for index in 1..<keyCount { ring = try ring.rotating(to: .random(id: CodeKeyID("k\(index)"))) }
                configuration.keyRing = ring
                configuration.outboxSealKeys = try (0..<explicitCount).map { index in
                    try OutboxSealKey(
                        id: "s\(index)",
                        material: (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })
                }
            }
            let account = try await harness.createSchool()
            let issued = try await service.issueCode(for: account.id, by: account.id, language: .indonesian)
            let seal = try #require(issued.message.value.codeContent?.sealedCode)
            let opened = service.unseal(seal, messageID: issued.message.value.messageID)
            #expect(
                (try? opened.get()) == issued.codeDigits,
                "round \(round): \(keyCount) code keys, \(explicitCount) seal keys")
            // Sent from what the request holds: the e-mail carries those digits, and they verify.
            let sent = await service.sendRightAway(issued)
            #expect(sent?.outcome == .handedOver)
            let email = try #require(account.email)
            #expect(harness.codes(to: email).last == issued.codeDigits)
            let result = try await service.submitCode(issued.codeDigits, for: account.id, by: account.id)
            #expect(result.outcome == .verified)
        }
    }

    @Test("the expiry's words from the status's expiry texts are the ones formatted afresh")
    func untilExpiryIsMoment() throws {
        let service = try DeliveryStatusFunctionTests.service()
        var random = SeededGenerator(seed: 0xE8_91E7)
        let base = Date(timeIntervalSince1970: 1_782_874_800)
        for _ in 0..<3_000 {
            let zone = SchoolTimeZone.allCases.randomElement(using: &random)!
            let time = base.addingTimeInterval(Double(Int.random(in: -200_000...200_000, using: &random)))
            // Mostly within the hour (the same day), sometimes across midnight or days away.
            let spread = Bool.random(using: &random) ? 3_600 : 300_000
            let expiry = time.addingTimeInterval(Double(Int.random(in: -spread...spread, using: &random)))
            let status = DeliveryStatus(
                state: .notStarted, maskedAddress: nil, codeOrdinal: 1, codeExpiresAt: expiry,
                codeExpiresAtText: zone.formattedTime(expiry, language: .indonesian), mayRequestNewCode: true,
                newCodeAllowedAt: nil, codesLeft: 1, attemptsLeft: 1, timeZone: zone,
                explanation: LocalizedText(indonesian: "", english: ""))
            var described = status
            described.codeExpiryDescription = LocalizedText(
                indonesian: zone.formattedDateTime(expiry, language: .indonesian),
                english: zone.formattedDateTime(expiry, language: .english))
            let fresh = service.moment(expiry, in: zone, seenAt: time, preposition: false)
            #expect(service.untilExpiry(of: described, expiry, in: zone, seenAt: time) == fresh)
            // Without the texts (never so in a status the service builds), it formats them.
            #expect(service.untilExpiry(of: status, expiry, in: zone, seenAt: time) == fresh)
        }
    }

    /// The due index's value as it was formatted before this pass.
    static func oldDueBound(_ date: Date) -> String {
        let milliseconds = max(0, Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
        let digits = String(milliseconds)
        return String(repeating: "0", count: max(0, 15 - digits.count)) + digits
    }

    @Test("the outbox's due values and bounds are the old ones, byte for byte")
    func dueValuesAreTheOldOnes() {
        var random = SeededGenerator(seed: 0xD0E_7A1E)
        let ids = ["", "|", "é-ñ", "👩🏽‍🏫", String(repeating: "x", count: 200)]
        for index in 0..<20_000 {
            let seconds: Double =
                switch index % 5 {
                case 0: Double(Int.random(in: -1_000...1_000, using: &random)) / 7
                case 1: Double.random(in: 1_700_000_000...1_900_000_000, using: &random)
                case 2: Double(Int.random(in: 1_700_000_000_000...1_900_000_000_000, using: &random)) / 1_000
                case 3: Double.random(in: 0...9_000_000_000_000_000, using: &random) / 1_000
                default: Double.random(in: -1e12...1e14, using: &random)
                }
            let date = Date(timeIntervalSince1970: seconds)
            let id =
                index % 7 == 0
                ? ids.randomElement(using: &random)! : UUID(uuid: randomUUIDBytes(&random)).uuidString
            let old = Self.oldDueBound(date)
            #expect(OutboxMessage.dueBound(date) == old)
            #expect(OutboxMessage.dueValue(date, id: id) == old + "|" + id)
        }
        for seconds in [0, -0.0005, 0.0009, 0.001, 999_999_999_999.999, 1e12, 9.2e15] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(OutboxMessage.dueBound(date) == Self.oldDueBound(date), "\(seconds)")
        }
    }

    private func randomUUIDBytes(_ random: inout SeededGenerator) -> uuid_t {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { buffer in
            for index in buffer.indices { buffer[index] = UInt8.random(in: 0...255, using: &random) }
        }
        return bytes
    }
}
