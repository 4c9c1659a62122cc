import Foundation
import Testing

@testable import DapodikVerification

/// The delivery status as a pure function of loaded values (``VerificationService/deliveryStatus(of:at:)``):
/// no store, no clock, only the facts and the configuration's policies.
struct DeliveryStatusFunctionTests {
    static let time = Date(timeIntervalSince1970: 1_782_874_800)
    static let address = try! EmailAddress("operator@sdn1.sch.id")

    static func service() throws -> VerificationService {
        VerificationService(
            configuration: .init(
                store: InMemoryRecordStore(), transport: InMemoryMailTransport(),
                keyRing: try CodeKeyRing(current: .random(id: CodeKeyID("k1"))),
                sender: try EmailAddress("verifikasi@dapodik.example.id")))
    }

    static func account(verifiedAt: Date? = nil) throws -> Account {
        Account(
            id: .random(), role: .operator, schoolNPSN: try NPSN("20100101"),
            displayName: try DisplayName("Siti Operator"), username: try Username("operator1"), email: address,
            emailStatus: verifiedAt.map { .verified(at: $0, address: address) } ?? .unverified, createdAt: time)
    }

    /// A challenge whose one code was issued `age` seconds before ``time`` and handed over at once,
    /// with its handed-over message.
    static func handedOver(
        for account: Account, age: TimeInterval, by service: VerificationService
    ) throws -> (VerificationChallenge, OutboxMessage) {
        let issuedAt = time.addingTimeInterval(-age)
        let policy = service.configuration.policy
        var challenge = VerificationChallenge(
            account: account.id, purpose: .operatorOwnAddress, address: address, createdAt: issuedAt)
        challenge = try policy.issuing(
            policy.generateCode(), on: challenge, at: issuedAt, recentSendsToAddress: [],
            keyRing: service.configuration.keyRing)
        challenge = try challenge.recordingHandOver(ofCode: 1, at: issuedAt)
        let school = School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 Contoh"), timeZone: .wib)
        let message = OutboxMessage.codeMessage(
            of: challenge, for: account, school: school, at: issuedAt, state: .handedOver(at: issuedAt))
        return (challenge, message)
    }

    @Test("an address that had its ten mails in 24 hours may ask again when the oldest leaves the window")
    func addressQuotaFromLoadedSends() throws {
        let service = try Self.service()
        let account = try Self.account()
        let (challenge, message) = try Self.handedOver(for: account, age: 120, by: service)
        let sends = (1...10).map { Self.time.addingTimeInterval(-Double($0) * 600) }
        let facts = DeliveryFacts(
            account: account, timeZone: .wib, challenge: challenge, message: message, recentSendsToAddress: sends)
        let status = service.deliveryStatus(of: facts, at: Self.time)
        #expect(status.state == .handedOver(at: Self.time.addingTimeInterval(-120), maskedAddress: Self.address.masked))
        #expect(status.mayRequestNewCode == false)
        #expect(status.newCodeAllowedAt == sends.min()!.addingTimeInterval(24 * 3600))
        #expect(status.codesLeft == 0)

        let fewer = DeliveryFacts(
            account: account, timeZone: .wib, challenge: challenge, message: message,
            recentSendsToAddress: Array(sends.prefix(3)))
        let allowed = service.deliveryStatus(of: fewer, at: Self.time)
        #expect(allowed.mayRequestNewCode)
        #expect(allowed.codesLeft == 4)
    }

    @Test("when a new code may be asked for is told rounded up to the minute, never before it is allowed")
    func newCodeTimeRoundedUp() throws {
        let service = try Self.service()
        let account = try Self.account()
        // Issued 20.5 s before a whole minute: the 60 s cooldown ends 39.5 s after it.
        let (challenge, message) = try Self.handedOver(for: account, age: 20.5, by: service)
        let facts = DeliveryFacts(account: account, timeZone: .wib, challenge: challenge, message: message)
        let status = service.deliveryStatus(of: facts, at: Self.time)
        #expect(status.newCodeAllowedAt == Self.time.addingTimeInterval(39.5))
        let nextMinute = Self.time.addingTimeInterval(60)
        #expect(
            status.explanation.indonesian.contains(SchoolTimeZone.wib.formattedTime(nextMinute, language: .indonesian)),
            "\(status.explanation.indonesian)")
        #expect(
            status.explanation.english.contains(SchoolTimeZone.wib.formattedTime(nextMinute, language: .english)),
            "\(status.explanation.english)")
        #expect(
            !status.explanation.indonesian.contains(SchoolTimeZone.wib.formattedTime(Self.time, language: .indonesian)))
    }

    @Test("an account whose last challenge was exhausted waits out the loaded wrong-code history")
    func wrongCodeHistoryFromLoadedValues() throws {
        let service = try Self.service()
        let account = try Self.account()
        let history = service.configuration.wrongCodeLimits.recordingWrongCode(
            nil, at: Self.time.addingTimeInterval(-60), exhaustedChallenge: true)
        let facts = DeliveryFacts(account: account, timeZone: .wib, challenge: nil, wrongCodeHistory: history)
        let status = service.deliveryStatus(of: facts, at: Self.time)
        #expect(status.state == .notStarted)
        #expect(status.mayRequestNewCode == false)
        #expect(status.newCodeAllowedAt == Self.time.addingTimeInterval(3600 - 60))
        let later = service.deliveryStatus(of: facts, at: Self.time.addingTimeInterval(3600))
        #expect(later.mayRequestNewCode)
    }

    @Test("the same facts at the same time give the same status, and a later time a later one")
    func dependsOnlyOnFactsAndTime() throws {
        let service = try Self.service()
        let account = try Self.account()
        let (challenge, message) = try Self.handedOver(for: account, age: 0, by: service)
        let facts = DeliveryFacts(
            account: account, timeZone: .wit, challenge: challenge, message: message, recentSendsToAddress: [Self.time])
        #expect(service.deliveryStatus(of: facts, at: Self.time) == service.deliveryStatus(of: facts, at: Self.time))
        let expired = service.deliveryStatus(of: facts, at: Self.time.addingTimeInterval(31 * 60))
        #expect(expired.state == .expired)
    }

    @Test("a verified account is verified whatever else was loaded")
    func verified() throws {
        let service = try Self.service()
        let account = try Self.account(verifiedAt: Self.time)
        let facts = DeliveryFacts(
            account: account, timeZone: .wib, challenge: nil,
            wrongCodeHistory: AccountCodeLimits().recordingWrongCode(nil, at: Self.time, exhaustedChallenge: true))
        #expect(service.deliveryStatus(of: facts, at: Self.time).state == .verified(at: Self.time))
    }

    @Test("the person is told the policy's outcome, without the ordinal, and a cancelled challenge as no code")
    func outcomeMapping() throws {
        let pairs: [(SubmissionOutcome, CodeSubmissionResult.Outcome)] = [
            (.verified(ordinal: 2), .verified), (.wrong(attemptsLeft: 3), .wrong(attemptsLeft: 3)),
            (.expired(ordinal: 1), .expired), (.attemptsExhausted, .attemptsExhausted),
            (.alreadyVerified, .alreadyVerified), (.noCodeIssued, .noCodeIssued), (.cancelled, .noCodeIssued),
        ]
        let asking = CodeRequestAction.lanjutButton.words(for: .ptk, username: try Username("budi"))
        for (policy, person) in pairs {
            #expect(CodeSubmissionResult.Outcome(policy) == person)
            #expect(CodeSubmissionResult(policy, asking: asking) == .make(person, asking: asking))
        }
    }
}
