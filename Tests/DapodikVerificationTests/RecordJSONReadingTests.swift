import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// The hand-written readers of the cycle's records (`StoredRecord+JSONReading.swift`) give exactly what
/// `JSONDecoder` gives: the same value for every document the writer writes, and for anything else
/// (other key order, whitespace, unknown keys, damaged bytes) they step aside so `JSONDecoder` decides.
@Suite(.timeLimit(.minutes(10)))
struct RecordJSONReadingTests {
    typealias Fixtures = RecordJSONTests

    /// The writer's document of `value` is read by the fast path (not the fallback) to what
    /// `JSONDecoder` reads.
    func expectFastRead<Value: StoredRecord>(
        _ value: Value, fast: (Data) -> Value?, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let written = try value.encodedRecord()
        let reference = try RecordCoding.decode(Value.self, from: written)
        let read = try #require(fast(written), sourceLocation: sourceLocation)
        #expect(try Self.same(read, reference), sourceLocation: sourceLocation)
    }

    /// Field by field: the two values have the same canonical document (`JSONEncoder`'s, every field,
    /// dates to the last bit); an outbox message has no `==`.
    static func same<Value: StoredRecord>(_ lhs: Value, _ rhs: Value) throws -> Bool {
        try RecordCoding.encode(lhs) == RecordCoding.encode(rhs)
    }

    /// Every state and content of an outbox message `RecordJSONTests` writes, but the bounce report
    /// (which the writer leaves to `JSONEncoder`).
    static func messages() throws -> [OutboxMessage] {
        let account = try Fixtures.account(full: true)
        let school = School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 “Contoh”"), timeZone: .wit)
        let challenge = try Fixtures.challenge(codes: 1, handedOver: false)
        let time = Fixtures.time
        let states: [OutboxMessage.State] = [
            .queued, .sending(leaseUntil: time + 120, since: nil), .sending(leaseUntil: time + 120, since: time + 0.25),
            .retrying(nextAttemptAt: time + 30, disposition: .transient),
            .retrying(nextAttemptAt: time + 0.5, disposition: .misconfigured), .handedOver(at: time),
            .failed(at: time), .expired(at: time), .cancelled(at: time),
        ]
        var messages = states.map { state in
            var message = OutboxMessage.codeMessage(of: challenge, for: account, school: school, at: time, state: state)
            message.recipientName = Fixtures.awkward
            return message
        }
        var sealed = OutboxMessage.codeMessage(of: challenge, for: account, school: school, at: time)
        guard case .verificationCode(var content) = sealed.content else { throw CancellationError() }
        content.sealedCode = CodeSeal.seal(
            "123456", messageID: sealed.messageID, keyID: "k1", key: Array(repeating: 7, count: 32),
            derivedFromCodeKey: true)
        sealed.content = .verificationCode(content)
        sealed.attempts = [
            .init(at: time, disposition: .transient, replyCode: 451, exitStatus: nil, detail: "4.7.1 \"try\" later/\n"),
            .init(at: time + 1, disposition: .misconfigured, replyCode: nil, exitStatus: -3, detail: nil),
            .init(
                at: time + 1, disposition: .permanent, replyCode: 550, exitStatus: 67,
                detail: "/usr/sbin/sendmail exited with status 67", serverReply: "550 5.1.1 <sîti@x.id> \"no\"\\"),
            .init(
                at: time + 2, disposition: .transient, detail: "no reply after the final dot",
                outcomeUnknown: true),
            .init(at: time + 3, disposition: .handedOver),
        ]
        messages.append(sealed)
        content.sealedCode = CodeSeal(keyID: "old", digits: "654321", derivedFromCodeKey: nil, tag: nil)
        sealed.content = .verificationCode(content)
        messages.append(sealed)
        var notice = sealed
        notice.content = .addressChangeNotice(
            .init(
                newAddress: try EmailAddress("baru@contoh.sch.id"), username: "guru/1", changedBy: Fixtures.awkward,
                changedAt: time))
        messages.append(notice)
        return messages
    }

    static func challenges() throws -> [VerificationChallenge] {
        let open = try Fixtures.challenge(codes: 2, handedOver: true)
        let ring = try CodeKeyRing(current: .random(id: CodeKeyID("k1")))
        let policy = try VerificationPolicy()
        var exhausted = open
        for _ in 0..<policy.maximumFailedAttempts {
            exhausted =
                policy.evaluate(
                    try policy.parseCode("000000"), for: exhausted, at: Fixtures.time + 5, keyRing: ring
                ).challenge
        }
        var verified = try Fixtures.challenge(codes: 0, handedOver: false)
        let code = policy.generateCode()
        verified = try policy.issuing(code, on: verified, at: Fixtures.time, recentSendsToAddress: [], keyRing: ring)
        verified = policy.evaluate(code, for: verified, at: Fixtures.time + 9, keyRing: ring).challenge
        return [
            try Fixtures.challenge(codes: 0, handedOver: false), try Fixtures.challenge(codes: 3, handedOver: false),
            open, try open.cancelling(because: .addressChanged, at: Fixtures.time + 9), exhausted, verified,
            try Fixtures.challenge(codes: 2, handedOver: false, earlierCodes: 5),
        ]
    }

    @Test(
        "every account, challenge, outbox message, mailbox reservation and address quota the writer test writes is read by the fast path as JSONDecoder reads it"
    )
    func writerDocuments() throws {
        try expectFastRead(try Fixtures.account(full: true), fast: Account.fastDecoded)
        try expectFastRead(try Fixtures.account(full: false), fast: Account.fastDecoded)
        let challenges = try Self.challenges()
        #expect(Set(challenges.map { "\($0.state)".prefix(5) }).count == 4)
        for challenge in challenges { try expectFastRead(challenge, fast: VerificationChallenge.fastDecoded) }
        for message in try Self.messages() { try expectFastRead(message, fast: OutboxMessage.fastDecoded) }
        try expectFastRead(MailboxReservation(account: AccountID(UUID())), fast: MailboxReservation.fastDecoded)
        for sends in [[], [Fixtures.time], [Fixtures.time, Fixtures.time + 0.001, Date(timeIntervalSince1970: 0)]] {
            try expectFastRead(AddressQuota(sends: sends), fast: AddressQuota.fastDecoded)
        }
    }

    /// Schools of every time zone and kind of NPSN, with names that need escaping (quote, backslash,
    /// slash) and names outside ASCII.
    static func schools() throws -> [School] {
        let names = [
            "SD Negeri 1 Wamena", "SD Negeri 1 “Contoh”", #"SMK "Bina" Karya\/Jaya"#, "PKBM Ṣalāḥ 日本 👩‍💻", "A",
            String(repeating: "Sekolah ", count: 18) + "Akhir",
        ]
        let numbers = ["20100101", "P9970001", "K1234567", "123456"]
        return try names.indices.flatMap { index in
            try SchoolTimeZone.allCases.map { zone in
                School(
                    npsn: try NPSN(numbers[index % numbers.count]), name: try DisplayName(names[index]),
                    timeZone: zone)
            }
        }
    }

    @Test("every school JSONEncoder (its only writer) writes is read by the fast path as JSONDecoder reads it")
    func schoolDocuments() throws {
        for school in try Self.schools() {
            #expect(try school.encodedRecord() == (try RecordCoding.encode(school)))
            try expectFastRead(school, fast: School.fastDecoded)
            #expect(try School.decodedRecord(try school.encodedRecord(), version: 3) == school)
        }
    }

    @Test("random school names are read by the fast path as JSONDecoder reads them, or refused with its error")
    func randomizedSchools() throws {
        var generator = SeededGenerator(seed: 0x5EED_0015)
        var school = try #require(try Self.schools().first)
        var accepted = 0
        for round in 0..<2_000 {
            let text = RandomRecordInput.text(round: round, using: &generator)
            // The rules of a stored name: a name as typed must also have a character one can see.
            guard let name = try? DisplayName(stored: text) else {
                // A name `DisplayName` refuses, in the writer's shape: the fallback gives JSONDecoder's error.
                let document = try RecordCoding.encode(school)
                let escaped = String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
                let damaged = String(decoding: document, as: UTF8.self).replacingOccurrences(
                    of: String(decoding: try JSONEncoder().encode(school.name.value), as: UTF8.self), with: escaped)
                #expect(School.fastDecoded(Data(damaged.utf8)) == nil)
                expectSameOutcome(Data(damaged.utf8), School.self, "\(Array(text.unicodeScalars.map(\.value)))")
                continue
            }
            school.name = name
            school.timeZone = SchoolTimeZone.allCases[round % 3]
            let document = try school.encodedRecord()
            let read = School.fastDecoded(document)
            let reference = try RecordCoding.decode(School.self, from: document)
            #expect(read != nil && read == reference, "\(text)")
            accepted += 1
        }
        #expect(accepted > 500)
    }

    @Test("UUIDs in either case are read from the bytes as UUID(uuidString:) reads them; other forms fall back")
    func uuids() throws {
        var generator = SeededGenerator(seed: 0x5EED_0016)
        let account = try Fixtures.account(full: false)
        let document = String(decoding: try account.encodedRecord(), as: UTF8.self)
        let written = account.id.rawValue.uuidString
        #expect(document.contains(written))
        var fastReads = 0
        for round in 0..<2_000 {
            let uuid = UUID(
                uuid: uuid_t(
                    UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
                    UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
                    UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
                    UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
                    UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
                    UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
                    UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator),
                    UInt8.random(in: 0...255, using: &generator), UInt8.random(in: 0...255, using: &generator)))
            var text = uuid.uuidString
            switch round % 4 {
            case 0: break
            case 1: text = text.lowercased()
            case 2: text = String(text.map { Bool.random(using: &generator) ? Character($0.lowercased()) : $0 })
            default:
                // One character changed, dropped or added: a form the bytes are not read in.
                var characters = Array(text)
                let index = Int.random(in: 0..<characters.count, using: &generator)
                let replacement = Array("0aAfFgG-{} \\\"").randomElement(using: &generator)!
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: characters[index] = replacement
                case 1: characters.remove(at: index)
                default: characters.insert(replacement, at: index)
                }
                text = String(characters)
            }
            let data = Data(document.replacingOccurrences(of: written, with: text).utf8)
            let expected = try? RecordCoding.decode(Account.self, from: data)
            if let read = Account.fastDecoded(data) {
                fastReads += 1
                #expect(read == expected, "\(text)")
                #expect(read.id.rawValue == UUID(uuidString: text), "\(text)")
            }
            expectSameOutcome(data, Account.self, text)
        }
        #expect(fastReads >= 1_500)
    }

    @Test("a message with a bounce report is not the writer's: JSONDecoder reads it")
    func bounceReport() throws {
        var message = try #require(try Self.messages().last)
        message.returned = .init(
            reportedAt: Fixtures.time, failed: true, status: "5.1.1", diagnostic: "no such user", willRetryUntil: nil)
        let written = try message.encodedRecord()
        #expect(OutboxMessage.fastDecoded(written) == nil)
        let read = try OutboxMessage.decodedRecord(written, version: 0)
        #expect(try Self.same(read, try RecordCoding.decode(OutboxMessage.self, from: written)))
        #expect(read.returned != nil)
        // The end of a delay takes the same path, and reads back as written.
        message.returned = nil
        message.delayEnded = .init(reportedAt: Fixtures.time, intoMailbox: false)
        let ended = try message.encodedRecord()
        #expect(OutboxMessage.fastDecoded(ended) == nil)
        let readEnded = try OutboxMessage.decodedRecord(ended, version: 0)
        #expect(readEnded.delayEnded == message.delayEnded)
        #expect(readEnded.returned == nil)
    }

    @Test("an account's decodedRecord takes the store's version, whatever the document says")
    func accountVersion() throws {
        let written = try Fixtures.account(full: true).encodedRecord()
        #expect(try Account.decodedRecord(written, version: 42).version == 42)
    }

    @Test("random strings and instants are read by the fast path as JSONDecoder reads them")
    func randomizedAgainstJSONDecoder() throws {
        var generator = SeededGenerator(seed: 0x5EED_0001)
        var account = try Fixtures.account(full: true)
        let challenge = try Fixtures.challenge(codes: 1, handedOver: true)
        var message = try Self.messages()[10]
        for round in 0..<2_000 {
            let text = RandomRecordInput.text(round: round, using: &generator)
            let seconds = RandomRecordInput.seconds(round: round, using: &generator)
            // Free text goes where no validating initializer refuses it: the password's encoded form,
            // the challenge's purpose and cancellation reason.
            account.password = PasswordCredential(encoded: text)
            account.createdAt = Date(timeIntervalSince1970: seconds)
            let cancelled = try challenge.cancelling(
                because: CancellationReason(text), at: Date(timeIntervalSince1970: seconds))
            let context = "\(seconds) \(Array(text.unicodeScalars.map(\.value)))"
            let accountDocument = try account.encodedRecord()
            let challengeDocument = try cancelled.encodedRecord()
            let accountRead = Account.fastDecoded(accountDocument)
            let challengeRead = VerificationChallenge.fastDecoded(challengeDocument)
            let accountReference = try RecordCoding.decode(Account.self, from: accountDocument)
            let challengeReference = try RecordCoding.decode(VerificationChallenge.self, from: challengeDocument)
            #expect(accountRead != nil && accountRead == accountReference, "\(context)")
            #expect(challengeRead != nil && challengeRead == challengeReference, "\(context)")
            message.recipientName = text
            message.state = .retrying(nextAttemptAt: Date(timeIntervalSince1970: seconds), disposition: .transient)
            let messageDocument = try message.encodedRecord()
            let messageRead = try #require(OutboxMessage.fastDecoded(messageDocument), "\(context)")
            let messageSame = try Self.same(
                messageRead, try RecordCoding.decode(OutboxMessage.self, from: messageDocument))
            #expect(messageSame, "\(context)")
            if accountRead != accountReference || challengeRead != challengeReference || !messageSame { return }
        }
    }

    @Test("\\u escapes, surrogate pairs and every short escape are read as JSONDecoder reads them")
    func escapes() throws {
        let document = try String(decoding: Fixtures.account(full: false).encodedRecord(), as: UTF8.self)
        let escaped = #"A\u00e9\u00C9\ud83d\ude00\u0000\u001f\b\f\n\r\t\"\\\/z"#
        let withPassword = document.replacingOccurrences(
            of: #""role":"#, with: #""password":"\#(escaped)","role":"#)
        let data = Data(withPassword.utf8)
        let read = try #require(Account.fastDecoded(data))
        #expect(read.password?.encoded == "AéÉ😀\u{0}\u{1F}\u{8}\u{C}\n\r\t\"\\/z")
        #expect(read == (try RecordCoding.decode(Account.self, from: data)))
        // A lone surrogate, an unknown escape, a raw control character: not the writer's; JSONDecoder decides.
        for bad in [#"\ud83d"#, #"\ude00x"#, #"\ud83d\u0041"#, #"\x41"#, "\u{1}", #"\u12"#] {
            let damaged = Data(
                document.replacingOccurrences(of: #""role":"#, with: #""password":"\#(bad)","role":"#).utf8)
            #expect(Account.fastDecoded(damaged) == nil, "\(bad)")
            expectSameOutcome(damaged, Account.self, "\(bad)")
        }
    }

    /// `decodedRecord` and `JSONDecoder` agree on `data`: the same value, or both the same
    /// same error.
    func expectSameOutcome<Value: StoredRecord>(
        _ data: Data, _ type: Value.Type, _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let reference = Result { try RecordCoding.decode(Value.self, from: data) }
        let read = Result { try Value.decodedRecord(data, version: 0) }
        switch (read, reference) {
        case (.success(let value), .success(var expected)):
            if var account = expected as? Account {
                account.version = 0
                expected = account as! Value
            }
            #expect((try? Self.same(value, expected)) == true, "\(comment)", sourceLocation: sourceLocation)
        case (.failure(let error), .failure(let expected)):
            #expect(
                "\(error)" == "\(expected)", "\(comment)",
                sourceLocation: sourceLocation)
        default:
            Issue.record("\(comment): \(read) against JSONDecoder's \(reference)", sourceLocation: sourceLocation)
        }
    }

    @Test(
        "other key order, whitespace and unknown keys are not the writer's: JSONDecoder reads them, to the same value")
    func otherShapesFallBack() throws {
        let account = try Fixtures.account(full: true)
        let challenge = try Self.challenges()[3]
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.sortedKeys, .prettyPrinted]
        pretty.dateEncodingStrategy = .secondsSince1970
        let unsorted = JSONEncoder()
        unsorted.dateEncodingStrategy = .secondsSince1970
        func variants(_ value: some StoredRecord, unknownKeyBefore key: String = "id") throws -> [Data] {
            let written = String(decoding: try value.encodedRecord(), as: UTF8.self)
            return [
                try pretty.encode(value), try unsorted.encode(value),
                Data((#"{"aaa":1,"# + written.dropFirst()).utf8), Data((" " + written + "\n").utf8),
                Data(written.replacingOccurrences(of: "\"\(key)\":", with: "\"zz\":null,\"\(key)\":").utf8),
            ]
        }
        let accountReference = try RecordCoding.decode(Account.self, from: try account.encodedRecord())
        let challengeReference = try RecordCoding.decode(
            VerificationChallenge.self, from: try challenge.encodedRecord())
        for data in try variants(account) {
            #expect(Account.fastDecoded(data) == nil)
            #expect(try Account.decodedRecord(data, version: account.version) == accountReference)
        }
        for data in try variants(challenge) {
            #expect(VerificationChallenge.fastDecoded(data) == nil)
            #expect(try VerificationChallenge.decodedRecord(data, version: 0) == challengeReference)
        }
        let school = try Self.schools()[4]
        let schoolDocument = try school.encodedRecord()
        // `JSONEncoder` without sorted keys may happen to write a school's three keys in sorted order
        // (its order is a hash table's), so that variant is replaced by keys reordered by hand.
        let nameAndNumber = try #require(String(decoding: schoolDocument, as: UTF8.self).firstRange(of: #","npsn":"#))
        let written = String(decoding: schoolDocument, as: UTF8.self)
        let name = written[written.index(after: written.startIndex)..<nameAndNumber.lowerBound]
        let rest = written[nameAndNumber.upperBound...].dropLast()
        let reordered = Data(("{\"npsn\":" + rest + "," + name + "}").utf8)
        let schoolVariants = try variants(school, unknownKeyBefore: "npsn").filter { $0 != schoolDocument }
        #expect(schoolVariants.count >= 4)
        for data in schoolVariants + [reordered] {
            #expect(School.fastDecoded(data) == nil)
            #expect(try School.decodedRecord(data, version: 0) == school)
        }
        let message = try Self.messages()[8]
        let messageReference = try RecordCoding.decode(OutboxMessage.self, from: try message.encodedRecord())
        for data in try variants(message) {
            #expect(OutboxMessage.fastDecoded(data) == nil)
            #expect(try Self.same(try OutboxMessage.decodedRecord(data, version: 0), messageReference))
        }
    }

    @Test("every prefix of a document and random byte changes give JSONDecoder's value or error, never a trap")
    func damagedBytes() throws {
        let account = try Fixtures.account(full: true).encodedRecord()
        let challenge = try Self.challenges()[2].encodedRecord()
        let message = try Self.messages()[8].encodedRecord()
        for length in 0..<account.count {
            #expect(Account.fastDecoded(account.prefix(length)) == nil)
            expectSameOutcome(Data(account.prefix(length)), Account.self, "prefix \(length)")
        }
        for length in 0..<challenge.count {
            #expect(VerificationChallenge.fastDecoded(challenge.prefix(length)) == nil)
            expectSameOutcome(Data(challenge.prefix(length)), VerificationChallenge.self, "prefix \(length)")
        }
        let school = try Self.schools()[3].encodedRecord()
        for length in 0..<school.count {
            #expect(School.fastDecoded(school.prefix(length)) == nil)
            expectSameOutcome(Data(school.prefix(length)), School.self, "prefix \(length)")
        }
        var generator = SeededGenerator(seed: 0x5EED_0002)
        let interesting =
            Array(#"{}[],:"\/0123456789.-+eEtrufalsn "#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xFF]
        for length in 0..<message.count {
            #expect(OutboxMessage.fastDecoded(message.prefix(length)) == nil)
            expectSameOutcome(Data(message.prefix(length)), OutboxMessage.self, "prefix \(length)")
        }
        for round in 0..<4_000 {
            var data = [account, challenge, message, school][round % 4]
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<data.count, using: &generator)
                data[index] =
                    Bool.random(using: &generator)
                    ? interesting.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            switch round % 4 {
            case 0: expectSameOutcome(data, Account.self, "\(Array(data))")
            case 1: expectSameOutcome(data, VerificationChallenge.self, "\(Array(data))")
            case 2: expectSameOutcome(data, OutboxMessage.self, "\(Array(data))")
            default: expectSameOutcome(data, School.self, "\(Array(data))")
            }
        }
    }
}
