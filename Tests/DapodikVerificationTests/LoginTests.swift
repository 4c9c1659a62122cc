import DapodikVerification
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10)))
struct LoginTests {
    @Test("an unknown account and a wrong password get the same answer", arguments: StoreKind.allCases)
    func sameAnswer(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        try await harness.createSchool()
        let unknown = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "tidak.ada", password: Harness.password)
        }
        let wrong = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "operator1", password: "bukan-kata-sandinya")
        }
        #expect(unknown?.code == .invalidCredentials)
        #expect(unknown?.code == wrong?.code)
        #expect(unknown?.message == wrong?.message)
    }

    @Test("failed logins meet growing delays, then a temporary lock, for known and unknown names alike")
    func throttle() async throws {
        let harness = try Harness.make(.memory)
        try await harness.createSchool()
        // Three free failures, then 2, 4, 8, … seconds (at most 60), then a 15-minute lock.
        let expectedDelays: [TimeInterval] = [0, 0, 0, 2, 4, 8, 16, 32, 60, 900]
        for identifier in ["operator1", "tidak.ada"] {
            for delay in expectedDelays {
                let error = await #expect(throws: VerificationError.self) {
                    try await harness.service.login(identifier: identifier, password: "salah-salah-salah")
                }
                #expect(error?.code == .invalidCredentials)
                guard delay > 0 else { continue }
                // Even the right password is refused until the delay has passed.
                let blocked = await #expect(throws: VerificationError.self) {
                    try await harness.service.login(identifier: identifier, password: Harness.password)
                }
                #expect(blocked?.code == .loginThrottled)
                #expect(blocked?.retryAt == harness.clock.now.addingTimeInterval(delay), "\(identifier)")
                harness.clock.advance(by: delay)
            }
        }
        let locks = try await harness.service.events().filter { $0.kind == .loginLocked }
        #expect(locks.count == 2)
        #expect(locks.first?.account != nil)
        #expect(locks.last?.account == nil)
        // After the lock a right password logs in and clears the count.
        #expect(try await harness.service.login(identifier: "operator1", password: Harness.password).role == .operator)
    }

    @Test("a stored hash with old parameters is replaced at login")
    func rehash() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        var configuration = harness.service.configuration
        configuration.passwordHasher = PBKDF2PasswordHasher(iterations: 1_500)
        let upgraded = VerificationService(configuration: configuration)
        _ = try await upgraded.login(identifier: "operator1", password: Harness.password)
        let events = try await upgraded.events()
        #expect(events.last?.kind == .passwordChanged)
        #expect(events.last?.account == account.id)
        _ = try await upgraded.login(identifier: "operator1", password: Harness.password)
        #expect(try await upgraded.events().count == events.count)
    }
}

@Suite(.timeLimit(.minutes(10)))
struct EventFeedTests {
    @Test(
        "a consumer paging with cursors sees every event once, in order, with no secret", arguments: StoreKind.allCases)
    func paging(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        _ = try await harness.service.submitCode(wrongCode(code), for: ptk.id, by: ptk.id)
        _ = try await harness.service.submitCode(code, for: ptk.id, by: ptk.id)

        let all = try await harness.service.events()
        var paged: [VerificationEvent] = []
        var cursor = EventCursor.start
        while true {
            let page = try await harness.service.events(after: cursor, limit: 2)
            guard let last = page.last else { break }
            paged += page
            cursor = last.cursor
        }
        #expect(paged == all)
        #expect(all.map(\.cursor) == all.map(\.cursor).sorted())
        #expect(all.map(\.kind).suffix(4) == [.codeIssued, .codeDelivered, .codeRejected, .emailVerified])
        for event in all {
            #expect(event.detail?.contains(code) != true)
        }
    }

    @Test(
        "a cursor naming no event of this store is refused, not read as 'up to date'", arguments: StoreKind.allCases)
    func unknownCursor(_ kind: StoreKind) async throws {
        // The store as an older backup left it, and the same store later: a consumer that had read
        // the later store holds a cursor past everything the older one has.
        let older = try Harness.make(kind)
        _ = try await older.verifiedOperator()
        let later = try Harness.make(kind)
        let manager = try await later.verifiedOperator()
        _ = try await later.registerPTK(by: manager)
        let newest = try #require(try await later.service.events().last).cursor
        let olderNewest = try #require(try await older.service.events().last).cursor
        #expect(newest > olderNewest)

        let refused: [EventCursor] = [
            newest,
            EventCursor(sequence: olderNewest.sequence, ordinal: olderNewest.ordinal + 1),
            EventCursor(sequence: .max, ordinal: .max),
            EventCursor(sequence: 0, ordinal: 1),
        ]
        let before = try await older.service.events()
        for cursor in refused {
            let error = await #expect(throws: VerificationError.self, "\(cursor)") {
                try await older.service.events(after: cursor)
            }
            #expect(error?.code == .unknownCursor, "\(cursor)")
        }
        #expect(try await older.service.events() == before)
        // Every cursor the store gave, the newest included, still reads.
        for event in before {
            #expect(try await older.service.events(after: event.cursor) == before.filter { $0.cursor > event.cursor })
        }
    }

    @Test("cursors stay valid after compaction summarized the history")
    func cursorAfterCompaction() async throws {
        let harness = try Harness.make(.file)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        _ = try await harness.service.submitCode(try await harness.requestedCode(for: ptk), for: ptk.id, by: ptk.id)
        let before = try await harness.service.events()
        try await #require(harness.store as? FileRecordStore).compact()
        #expect(try await harness.service.events() == before)
        for event in before {
            #expect(
                try await harness.service.events(after: event.cursor) == before.filter { $0.cursor > event.cursor }
            )
        }
    }
}
