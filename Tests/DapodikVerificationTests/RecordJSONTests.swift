import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// The hand-written documents of the cycle's records (`StoredRecord+JSONWriting.swift`) are byte for
/// byte what `RecordCoding`'s `JSONEncoder` writes, so data directories written before and after read
/// the same, and every document still decodes through `RecordCoding`.
@Suite(.timeLimit(.minutes(10)))
struct RecordJSONTests {
    static let time = Date(timeIntervalSince1970: 1_782_874_800.125)
    static let awkward = "Ñoño \"Çé\" / back\\slash \u{1}\u{1F}\u{7F} tab\tline\nreturn\r\u{8}\u{C} 😀 \u{2028} Dewi"

    /// Both encodings of `value`, and that the new one decodes to a value that encodes the same.
    func expectSameBytes<Value: StoredRecord>(
        _ value: Value, version: UInt64 = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let written = try value.encodedRecord()
        let reference = try RecordCoding.encode(value)
        #expect(
            String(decoding: written, as: UTF8.self) == String(decoding: reference, as: UTF8.self),
            sourceLocation: sourceLocation)
        let decoded = try Value.decodedRecord(written, version: version)
        #expect(try RecordCoding.encode(decoded) == reference, sourceLocation: sourceLocation)
    }

    static func account(full: Bool) throws -> Account {
        Account(
            id: AccountID(UUID()), role: full ? .ptk : .operator, schoolNPSN: try NPSN("P1234567"),
            displayName: try DisplayName(full ? "Ñoño Çé “Guru” 😀 O'Neil / S.Pd." : "Siti"),
            nuptk: full ? try NUPTK("1234567890123456") : nil, nik: full ? try NIK("3201011708850001") : nil,
            nip: full ? try NIP("198503121985031003") : nil, username: try Username(full ? "guru.satu" : "Op1"),
            email: full ? try EmailAddress("Guru.Satu+x/y@Sekolah.sch.id") : nil,
            emailStatus: full
                ? .verified(at: time, address: try EmailAddress("Guru.Satu+x/y@Sekolah.sch.id")) : .unverified,
            password: full ? PasswordCredential(encoded: "$pbkdf2-sha256$i=600000$c2FsdA$aGFzaA") : nil,
            createdAt: time, updatedAt: time.addingTimeInterval(0.1), version: full ? 7 : 0)
    }

    /// A challenge with `codes` issued; `earlierCodes` codes of the account's earlier challenges
    /// (half a minute apart, ending a minute before it) carried.
    static func challenge(codes: Int, handedOver: Bool, earlierCodes: Int = 0) throws -> VerificationChallenge {
        let ring = try CodeKeyRing(current: .random(id: CodeKeyID("k1")))
        let policy = try VerificationPolicy()
        var challenge = VerificationChallenge(
            account: AccountID(UUID()), purpose: .staffAddress, address: try EmailAddress("a.b@c.sch.id"),
            createdAt: time,
            accountCodesIssuedBefore: (0..<earlierCodes).map { time.addingTimeInterval(-60 - 30.7 * Double($0)) })
        for ordinal in 0..<codes {
            let at = time.addingTimeInterval(Double(61 * ordinal) + 0.3)
            challenge = try policy.issuing(
                policy.generateCode(), on: challenge, at: at, recentSendsToAddress: [], keyRing: ring)
            if handedOver { challenge = try challenge.recordingHandOver(ofCode: ordinal + 1, at: at + 1.7) }
        }
        return challenge
    }

    @Test("an account, with every optional field and with none, has the bytes JSONEncoder writes")
    func accounts() throws {
        try expectSameBytes(try Self.account(full: true), version: 7)
        try expectSameBytes(try Self.account(full: false))
    }

    @Test("a challenge in every state, with and without hand-over times, has the bytes JSONEncoder writes")
    func challenges() throws {
        try expectSameBytes(try Self.challenge(codes: 0, handedOver: false))
        try expectSameBytes(try Self.challenge(codes: 3, handedOver: false))
        try expectSameBytes(try Self.challenge(codes: 1, handedOver: true, earlierCodes: 4))
        let open = try Self.challenge(codes: 2, handedOver: true)
        try expectSameBytes(open)
        try expectSameBytes(try open.cancelling(because: .addressChanged, at: Self.time + 9))
        let ring = try CodeKeyRing(current: .random(id: CodeKeyID("k1")))
        let policy = try VerificationPolicy()
        var exhausted = open
        for _ in 0..<policy.maximumFailedAttempts {
            let wrong = try policy.parseCode("000000")
            exhausted = policy.evaluate(wrong, for: exhausted, at: Self.time + 5, keyRing: ring).challenge
        }
        try expectSameBytes(exhausted)
    }

    @Test("an outbox message in every state, with attempts, seals and a notice, has the bytes JSONEncoder writes")
    func messages() throws {
        let account = try Self.account(full: true)
        let school = School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 “Contoh”"), timeZone: .wit)
        let challenge = try Self.challenge(codes: 1, handedOver: false)
        let states: [OutboxMessage.State] = [
            .queued, .sending(leaseUntil: Self.time + 120, since: nil),
            .sending(leaseUntil: Self.time + 120, since: Self.time + 0.25),
            .retrying(nextAttemptAt: Self.time + 30, disposition: .transient),
            .retrying(nextAttemptAt: Self.time + 0.5, disposition: .misconfigured), .handedOver(at: Self.time),
            .failed(at: Self.time), .expired(at: Self.time), .cancelled(at: Self.time),
        ]
        for state in states {
            var message = OutboxMessage.codeMessage(
                of: challenge, for: account, school: school, at: Self.time, state: state)
            message.recipientName = Self.awkward
            try expectSameBytes(message)
        }
        var sealed = OutboxMessage.codeMessage(of: challenge, for: account, school: school, at: Self.time)
        guard case .verificationCode(var content) = sealed.content else { throw CancellationError() }
        content.sealedCode = CodeSeal.seal(
            "123456", messageID: sealed.messageID, keyID: "k1", key: Array(repeating: 7, count: 32),
            derivedFromCodeKey: true)
        sealed.content = .verificationCode(content)
        sealed.attempts = [
            .init(
                at: Self.time, disposition: .transient, replyCode: 451, exitStatus: nil,
                detail: "4.7.1 \"try\" later/\n"),
            .init(at: Self.time + 1, disposition: .misconfigured, replyCode: nil, exitStatus: -3, detail: nil),
            .init(
                at: Self.time + 1, disposition: .permanent, replyCode: 550, exitStatus: 67,
                detail: "/usr/sbin/sendmail exited with status 67", serverReply: "550 5.1.1 <sîti@x.id> \"no\"\\"),
            .init(
                at: Self.time + 2, disposition: .transient, detail: "no reply after the final dot",
                outcomeUnknown: true),
            .init(at: Self.time + 3, disposition: .handedOver),
        ]
        try expectSameBytes(sealed)
        content.sealedCode = CodeSeal(keyID: "old", digits: "654321", derivedFromCodeKey: nil, tag: nil)
        sealed.content = .verificationCode(content)
        try expectSameBytes(sealed)
        var notice = sealed
        notice.content = .addressChangeNotice(
            .init(
                newAddress: try EmailAddress("baru@contoh.sch.id"), username: "guru/1", changedBy: Self.awkward,
                changedAt: Self.time))
        try expectSameBytes(notice)
        notice.returned = .init(
            reportedAt: Self.time, failed: true, status: "5.1.1", diagnostic: "no such user", willRetryUntil: nil)
        try expectSameBytes(notice)
    }

    @Test(
        "an address quota, a mailbox reservation and an event, with every optional field and with none, have the bytes JSONEncoder writes"
    )
    func quotasAndEvents() throws {
        try expectSameBytes(AddressQuota(sends: []))
        try expectSameBytes(MailboxReservation(account: AccountID(UUID())))
        try expectSameBytes(AddressQuota(sends: [Self.time, Self.time + 0.001, Date(timeIntervalSince1970: 0)]))
        var batch = Batch()
        batch.record(.codeIssued, at: Self.time, by: nil)
        let account = try Self.account(full: true)
        batch.record(
            .emailVerified, at: Self.time, by: account.id, account: account.id, school: "P1234567",
            email: account.email,
            detail: Self.awkward)
        for event in batch.events { try expectSameBytes(event) }
    }

    @Test("random strings and instants are written as JSONEncoder writes them")
    func randomizedAgainstJSONEncoder() throws {
        var generator = SeededGenerator(seed: 0x5EED_0003)
        for round in 0..<2_000 {
            let detail = RandomRecordInput.text(round: round, using: &generator)
            let seconds = RandomRecordInput.seconds(round: round, using: &generator)
            var batch = Batch()
            batch.record(.codeRejected, at: Date(timeIntervalSince1970: seconds), by: nil, detail: detail)
            let event = try #require(batch.events.first)
            let written = try event.encodedRecord()
            let reference = try RecordCoding.encode(event)
            #expect(written == reference, "\(seconds) \(Array(detail.unicodeScalars.map(\.value)))")
            if written != reference { return }
        }
    }

    @Test("Base64 written from the bytes is the string Data.base64EncodedString() gives, escaped as JSONEncoder")
    func base64AgainstFoundation() {
        var generator = SeededGenerator(seed: 0x5EED_0B64)
        for round in 0..<3_000 {
            let bytes = generator.bytes(round < 100 ? round % 50 : 32)
            var direct = RecordJSONWriter()
            direct.base64(bytes)
            var throughString = RecordJSONWriter()
            throughString.string(Data(bytes).base64EncodedString())
            let (written, reference) = (direct.finish(), throughString.finish())
            #expect(written == reference, "\(bytes)")
            if written != reference { return }
        }
    }
}
