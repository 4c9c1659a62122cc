import Foundation
import Testing

@testable import DapodikVerification

/// The persistence mapping, declared once per stored type (`Persistence/`): the collection, key and
/// index names every existing data directory holds, and a stored document for every type that
/// reads back as the value written.
@Suite(.timeLimit(.minutes(10)))
struct StoredRecordMappingTests {
    static let time = Date(timeIntervalSince1970: 1_782_874_800)

    static func school() throws -> School {
        School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 Contoh"), timeZone: .wita)
    }

    static func account(email: String? = "Operator@SDN1.sch.id") throws -> Account {
        Account(
            id: AccountID(UUID(uuidString: "0F8E2C1A-0000-4000-8000-000000000001")!), role: .operator,
            schoolNPSN: try NPSN("20100101"), displayName: try DisplayName("Siti Operator"),
            username: try Username("Operator1"), email: try email.map { try EmailAddress($0) },
            emailStatus: .unverified, createdAt: time, updatedAt: time, version: 3)
    }

    static let challengeID = ChallengeID(UUID(uuidString: "0F8E2C1A-0000-4000-8000-000000000002")!)

    static func challenge() throws -> VerificationChallenge {
        VerificationChallenge(
            id: challengeID, account: try account().id, purpose: .operatorOwnAddress,
            address: try EmailAddress("operator@sdn1.sch.id"),
            createdAt: time)
    }

    static func message(state: OutboxMessage.State = .queued) throws -> OutboxMessage {
        .codeMessage(of: try challenge(), for: try account(), school: try school(), at: time, state: state)
    }

    @Test("collections and indexes keep the names existing data directories hold")
    func names() {
        #expect(School.collection == "school")
        #expect(Account.collection == "account")
        #expect(VerificationChallenge.collection == "challenge")
        #expect(OutboxMessage.collection == "outbox")
        #expect(StoredEvent.collection == "event")
        #expect(LoginThrottlePolicy.State.collection == "throttle")
        #expect(AddressQuota.collection == "addressQuota")
        #expect(AccountCodeLimits.History.collection == "wrongCodes")
        #expect(StaffCheckQuota.collection == "staffCheckQuota")
        #expect(LoginIdentifierReservation.collection == "loginIdentifier")
        #expect(RemovalIndexProgress.collection == "upgrade" && RemovalIndexProgress.storedKey.id == "removalIndexes")
        #expect(Account.emailIndex.name == "account.email" && Account.emailIndex.isUnique)
        #expect(Account.usernameIndex.name == "account.username" && Account.usernameIndex.isUnique)
        #expect(Account.schoolIndex.name == "account.schoolNPSN" && !Account.schoolIndex.isUnique)
        #expect(VerificationChallenge.openIndex.name == "challenge.open" && VerificationChallenge.openIndex.isUnique)
        #expect(VerificationChallenge.accountIndex.name == "challenge.account")
        #expect(!VerificationChallenge.accountIndex.isUnique)
        #expect(OutboxMessage.dueIndex.name == "outbox.due" && !OutboxMessage.dueIndex.isUnique)
        #expect(OutboxMessage.challengeIndex.name == "outbox.challenge" && !OutboxMessage.challengeIndex.isUnique)
        #expect(OutboxMessage.finishedIndex.name == "outbox.finishedAt" && !OutboxMessage.finishedIndex.isUnique)
        #expect(OutboxMessage.keptIndex.name == "outbox.keptFor" && !OutboxMessage.keptIndex.isUnique)
        #expect(
            VerificationService.idleThrottleIndex.name == "throttle.idleFrom"
                && !VerificationService.idleThrottleIndex.isUnique)
        #expect(AddressQuota.idleIndex.name == "addressQuota.idleFrom" && !AddressQuota.idleIndex.isUnique)
        #expect(StaffCheckQuota.idleIndex.name == "staffCheckQuota.idleFrom" && !StaffCheckQuota.idleIndex.isUnique)
    }

    @Test("a limit's quota is indexed by when its latest entry leaves the 24-hour window")
    func quotaMapping() {
        let day = Self.time.addingTimeInterval(24 * 3600)
        let sends = AddressQuota(sends: [Self.time, Self.time.addingTimeInterval(-60)])
        #expect(sends.indexEntries == [.nonUnique("addressQuota.idleFrom", "001782961200000")])
        let before = day.addingTimeInterval(-0.001)
        #expect(sends.idleFrom == day)
        #expect(AddressQuota.recent(sends.sends, at: before) == [Self.time])
        #expect(AddressQuota.recent(sends.sends, at: day).isEmpty)
        // The refusal is the latest: the index says when it stops holding back another's event.
        let checks = StaffCheckQuota(
            checks: [.init(at: Self.time.addingTimeInterval(-60), rows: 3)], refusalRecordedAt: Self.time)
        #expect(checks.indexEntries == [.nonUnique("staffCheckQuota.idleFrom", "001782961200000")])
        #expect(checks.holdsRefusal(at: before) && !checks.holdsRefusal(at: day) && checks.recent(at: before).isEmpty)
        // The check is the latest: the index says when the bound stops counting it.
        let charged = StaffCheckQuota(
            checks: [.init(at: Self.time, rows: 3)], refusalRecordedAt: Self.time.addingTimeInterval(-60))
        #expect(charged.idleFrom == day && charged.recent(at: before).count == 1 && charged.recent(at: day).isEmpty)
    }

    @Test("an account is keyed by its id and indexed by lower-cased username, school and canonical address")
    func accountMapping() throws {
        let account = try Self.account()
        #expect(account.storedKey.recordKey == RecordKey(collection: "account", id: account.id.description))
        #expect(
            account.indexEntries == [
                .unique("account.username", "operator1"), .nonUnique("account.schoolNPSN", "20100101"),
                .unique("account.email", try EmailAddress("Operator@SDN1.sch.id").canonical),
            ])
        #expect(try Self.account(email: nil).indexEntries.map(\.name) == ["account.username", "account.schoolNPSN"])
    }

    @Test("a challenge is under its account's open index only while it is open")
    func challengeMapping() throws {
        let challenge = try Self.challenge()
        let account = challenge.account.description
        #expect(challenge.storedKey.recordKey == RecordKey(collection: "challenge", id: challenge.id.description))
        #expect(
            challenge.indexEntries == [.nonUnique("challenge.account", account), .unique("challenge.open", account)])
        let cancelled = try challenge.cancelling(because: .addressChanged, at: Self.time)
        #expect(cancelled.indexEntries == [.nonUnique("challenge.account", account)])
    }

    @Test(
        "an outbox message is due under 15 digits of milliseconds and its id until done, then under when it was done, and under its challenge"
    )
    func outboxMapping() throws {
        let queued = try Self.message()
        let id = queued.id.uuidString
        #expect(queued.storedKey.recordKey == RecordKey(collection: "outbox", id: id))
        #expect(queued.messageID == queued.id.uuidString.lowercased() + "@dapodik.example.id")
        let challenge = try #require(queued.codeContent).challenge.description
        #expect(
            queued.indexEntries == [
                .nonUnique("outbox.due", "001782874800000|" + id), .nonUnique("outbox.challenge", challenge),
            ])
        let done = try Self.message(state: .handedOver(at: Self.time))
        #expect(
            done.indexEntries == [
                .nonUnique("outbox.challenge", challenge), .nonUnique("outbox.finishedAt", "001782874800000"),
            ])
        var returned = done
        returned.returned = .init(reportedAt: Self.time.addingTimeInterval(60), failed: false, status: "4.2.2")
        #expect(returned.finishedAt == Self.time.addingTimeInterval(60))
        #expect(OutboxMessage.dueBound(Date(timeIntervalSince1970: -5)) == "000000000000000")
    }

    @Test("a school's stored document is byte for byte the one earlier versions wrote")
    func schoolBytes() throws {
        let bytes = try Self.school().encodedRecord()
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == #"{"name":"SD Negeri 1 Contoh","npsn":"20100101","timeZone":"WITA"}"#)
    }

    @Test("a decoded account carries the store's version, not the one in its document")
    func accountVersion() throws {
        let bytes = try Self.account().encodedRecord()
        #expect(try Account.decodedRecord(bytes, version: 9).version == 9)
    }

    @Test("every stored type reads back as the value written")
    func roundTrips() throws {
        func roundTrip<Value: StoredRecord & Equatable>(_ value: Value) throws {
            #expect(try Value.decodedRecord(value.encodedRecord(), version: 0) == value)
        }
        func sameBytes<Value: StoredRecord>(_ value: Value) throws {
            let bytes = try value.encodedRecord()
            #expect(try Value.decodedRecord(bytes, version: 0).encodedRecord() == bytes)
        }
        try roundTrip(try Self.school())
        var account = try Self.account()
        account.version = 0
        try roundTrip(account)
        try roundTrip(try Self.challenge())
        try roundTrip(LoginThrottlePolicy.State(failures: 2, lastFailureAt: Self.time, blockedUntil: Self.time))
        try roundTrip(
            AccountCodeLimits().recordingWrongCode(nil, at: Self.time, exhaustedChallenge: true))
        try sameBytes(try Self.message())
        try sameBytes(try Self.message(state: .retrying(nextAttemptAt: Self.time, disposition: .transient)))
        try sameBytes(AddressQuota(sends: [Self.time]))
        try sameBytes(StaffCheckQuota(checks: [.init(at: Self.time, rows: 3)]))
        try sameBytes(
            StaffCheckQuota(
                checks: [.init(at: Self.time, rows: 2, fingerprints: ["00112233aabbccdd", "ffeeddcc44332211"])]))
        // A quota written before fingerprints reads back with its rows counting in full.
        let old = try StaffCheckQuota.decodedRecord(
            Data(#"{"checks":[{"at":1787533200,"rows":3}]}"#.utf8), version: 0)
        #expect(old.checks.map(\.rows) == [3] && old.checks.first?.fingerprints == nil)
        try sameBytes(LoginIdentifierReservation(account: account.id))
        var batch = Batch()
        batch.record(.codeIssued, at: Self.time, by: account.id, account: account.id, detail: "code 1")
        try sameBytes(try #require(batch.events.first))
    }

    @Test(
        "a flow writes its records under the collection and index names existing stores hold",
        arguments: StoreKind.allCases)
    func flowWritesKnownNames(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let store = harness.store
        #expect(try await store.record(for: RecordKey(collection: "school", id: "20100101")) != nil)
        let byEmail = try await store.record(whereUnique: "account.email", equals: "operator@sdn1.sch.id")
        #expect(byEmail?.key == RecordKey(collection: "account", id: account.id.description))
        #expect(try await store.record(whereUnique: "account.username", equals: "operator1")?.key == byEmail?.key)
        #expect(try await store.records(where: "account.schoolNPSN", equals: "20100101").count == 1)
        let open = try #require(try await store.record(whereUnique: "challenge.open", equals: account.id.description))
        #expect(open.key.collection == "challenge")
        let messages = try await store.records(where: "outbox.challenge", equals: open.key.id)
        #expect(messages.map(\.key.collection) == ["outbox"])
        #expect(try await store.record(for: RecordKey(collection: "loginIdentifier", id: "operator1")) != nil)
        let quota = RecordKey(collection: "addressQuota", id: "operator@sdn1.sch.id")
        #expect(try await store.record(for: quota) != nil)
        let events = try await store.changes(after: 0).flatMap(\.puts).filter { $0.key.collection == "event" }
        // The school created, the code issued, the code handed over.
        #expect(events.count == 3)
    }

    @Test("a queued message is put under must-not-exist and listed for sending after the commit")
    func enqueue() throws {
        var batch = Batch()
        let message = try Self.message()
        try batch.enqueue(message)
        #expect(batch.queuedMessages == [message.id])
        #expect(batch.mutations.map(\.key) == [message.storedKey.recordKey])
        #expect(batch.mutations.first?.expectation == .mustNotExist)
    }
}
