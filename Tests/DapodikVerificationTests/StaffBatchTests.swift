import DapodikLocking
import DapodikStorageContract
import Foundation
import Testing

@testable import DapodikVerification

/// A school's whole PTK list registered at once: every row in one commit, or none.
@Suite(.timeLimit(.minutes(10)))
struct StaffBatchTests {
    static func row(_ name: String, _ username: String, _ email: String, password: String = Harness.ptkPassword)
        throws -> AccountRegistration
    {
        AccountRegistration(
            displayName: try DisplayName(name), username: try Username(username), email: try EmailAddress(email),
            password: password)
    }

    static func threeRows() throws -> [AccountRegistration] {
        [
            try row("Budi Santoso", "budi", "budi.santoso@gmail.com"),
            try row("Ani Lestari", "ani", "ani.lestari@yahoo.co.id"),
            try row("Dedi Kurniawan", "dedi", "dedi.k@sdn1.sch.id"),
        ]
    }

    @Test(
        "a valid batch registers every row in one commit, with its events in row order", arguments: StoreKind.allCases)
    func registersAll(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let before = try await harness.commitCount()
        let cursor = try await harness.service.events().last!.cursor
        let hashed = LockedValue<[Int]>([])

        let accounts = try await harness.service.registerStaff(
            try Self.threeRows(), by: manager.id, progress: { count in hashed.withLock { $0.append(count) } })

        #expect(accounts.map(\.username.value) == ["budi", "ani", "dedi"])
        #expect(accounts.allSatisfy { $0.role == .ptk && $0.schoolNPSN == manager.schoolNPSN && !$0.isEmailVerified })
        #expect(try await harness.commitCount() == before + 1)
        let events = try await harness.service.events(after: cursor)
        #expect(events.map(\.kind) == [.accountRegistered, .accountRegistered, .accountRegistered])
        #expect(events.map(\.account) == accounts.map(\.id))
        #expect(events.map(\.ordinal) == [0, 1, 2])
        #expect(Set(events.map(\.sequence)).count == 1)
        #expect(events.allSatisfy { $0.actor == manager.id })
        // Reported as passwords are hashed, one or two at a time (two to a task when the rows outnumber the cores).
        let counts = hashed.withLock { $0 }
        #expect(counts.last == 3)
        #expect(zip([0] + counts, counts).allSatisfy { previous, count in (1...2).contains(count - previous) })
        let listed = try await harness.service.listStaff(by: manager.id)
        #expect(Set(listed.map(\.id)) == Set(accounts.map(\.id)))
        // Each PTK logs in with the password of their own row.
        let session = try await harness.service.login(
            identifier: "ani.lestari@yahoo.co.id", password: Harness.ptkPassword)
        #expect(session.account == accounts[1].id)
        #expect(session.timeZone == .wib)
    }

    @Test(
        "a row whose address another school's account holds refuses the whole batch, names the row and nothing else",
        arguments: StoreKind.allCases)
    func anotherSchoolsAddress(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let other = try await harness.verifiedOperator(
            npsn: "20100102", email: "operator@sdn2.sch.id", username: "operator2")
        let theirs = try await harness.registerPTK(
            "Ani Rahmawati", username: "ani.rahmawati", email: "ani.lestari@yahoo.co.id", by: other)
        let before = try await harness.commitCount()

        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.registerStaff(try Self.threeRows(), by: manager.id)
        }

        #expect(error?.code == .invalidBatch)
        #expect(error?.rowFailures.map(\.row) == [1])
        #expect(error?.rowFailures.first?.error.code == .emailInUse)
        #expect(error?.rowFailures.first?.sameAsRow == nil)
        let texts = [error?.message, error?.rowFailures.first?.error.message].compactMap { $0 }
            .flatMap { [$0.indonesian, $0.english] }
        for text in texts {
            for secret in ["20100102", "ani.rahmawati", "Rahmawati", theirs.id.description, "sdn2"] {
                #expect(!text.contains(secret), "\(text) reveals \(secret)")
            }
        }
        // No account is stored; the refusal, which tells which rows are registered, is audited.
        #expect(try await harness.commitCount() == before + 1)
        #expect(try await harness.eventKinds().last == .staffChecked)
        #expect(try await harness.service.listStaff(by: manager.id).isEmpty)
    }

    @Test("a username that is an earlier row's address, or an address that is an earlier row's username, is named so")
    func loginNamesAcrossKinds() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let rows = [
            try Self.row("Citra Satu", "dedi@gmail.com", "citra@gmail.com"),
            try Self.row("Dedi Dua", "dedi", "dedi@gmail.com"),
            try Self.row("Eka Tiga", "Citra@Gmail.com", "eka@gmail.com"),
        ]
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.registerStaff(rows, by: manager.id)
        }
        let failures = error?.rowFailures ?? []
        #expect(failures.map(\.row) == [1, 2])
        #expect(failures.map(\.sameAsRow) == [0, 0])
        #expect(failures.map(\.error.code) == [.emailInUse, .usernameInUse])
        #expect(failures.first?.error.message.english.contains("is the username of an earlier row") == true)
        #expect(failures.last?.error.message.english.contains("is the e-mail address of an earlier row") == true)
    }

    @Test(
        "every bad row is reported at once: repeats inside the batch, a weak password, a likely typo, a taken username")
    func everyBadRow() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let before = try await harness.commitCount()
        let rows = [
            try Self.row("Budi Santoso", "budi", "budi.santoso@gmail.com"),
            try Self.row("Budi Kedua", "budi2", "Budi.Santoso@Gmail.com"),
            try Self.row("Ani Lestari", "BUDI", "ani@yahoo.co.id"),
            try Self.row("Wati", "wati", "wati@yahoo.co.id", password: "123"),
            try Self.row("Eko", "eko", "eko@gmial.com"),
            try Self.row("Siti Kedua", "operator1", "siti2@gmail.com"),
            try Self.row("Fajar", "fajar", "fajar@gmail.com"),
        ]

        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.registerStaff(rows, by: manager.id)
        }

        let failures = error?.rowFailures ?? []
        #expect(error?.code == .invalidBatch)
        #expect(failures.map(\.row) == [1, 2, 3, 4, 5])
        #expect(
            failures.map(\.error.code) == [.emailInUse, .usernameInUse, .invalidInput, .possibleTypo, .usernameInUse])
        #expect(failures.map(\.sameAsRow) == [0, 0, nil, nil, nil])
        #expect(failures[3].error.suggestion?.value == "eko@gmail.com")
        #expect(error?.message.english.contains("5 of 7 rows") == true)
        #expect(try await harness.commitCount() == before + 1)
        // The dry run finds the same rows, and stores nothing but its audit event either.
        let checked = try await harness.service.checkStaff(rows, by: manager.id)
        #expect(checked.map(\.row) == failures.map(\.row))
        #expect(checked.map(\.error.code) == failures.map(\.error.code))
        #expect(try await harness.service.checkStaff(Array(rows.prefix(1)), by: manager.id).isEmpty)
        #expect(try await harness.commitCount() == before + 3)
        #expect(try await harness.eventKinds().suffix(3) == [.staffChecked, .staffChecked, .staffChecked])
    }

    @Test(
        "an address taken by a concurrent request between the checks and the commit refuses the batch; no password is hashed twice",
        arguments: StoreKind.allCases)
    func conflictAtCommit(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let other = try await harness.verifiedOperator(
            npsn: "20100102", email: "operator@sdn2.sch.id", username: "operator2")
        let hasher = CountingHasher()
        let racing = RacingStore(harness.store) {
            _ = try await harness.registerPTK(
                "Dedi Lain", username: "dedi.lain", email: "dedi.k@sdn1.sch.id", by: other)
        }
        let service = harness.sibling {
            $0.store = racing
            $0.passwordHasher = hasher
        }
        let before = try await harness.commitCount()

        let error = await #expect(throws: VerificationError.self) {
            try await service.registerStaff(try Self.threeRows(), by: manager.id)
        }

        #expect(error?.code == .invalidBatch)
        #expect(error?.rowFailures.map(\.row) == [2])
        #expect(error?.rowFailures.first?.error.code == .emailInUse)
        #expect(hasher.count == 3)
        #expect(racing.attemptedCommits == 1)
        #expect(try await harness.commitCount() == before + 1)  // only the competitor's
        #expect(try await service.listStaff(by: manager.id).isEmpty)
    }

    @Test("more rows than one commit may hold are refused before any work", arguments: StoreKind.allCases)
    func tooLarge(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let hasher = CountingHasher()
        let service = harness.sibling { $0.passwordHasher = hasher }
        let before = try await harness.commitCount()
        let rows = try (0...VerificationService.maximumStaffBatchSize).map {
            try Self.row("Guru \($0)", "guru\($0)", "guru\($0)@sdn1.sch.id")
        }

        let error = await #expect(throws: VerificationError.self) {
            try await service.registerStaff(rows, by: manager.id)
        }

        #expect(error?.code == .batchTooLarge)
        #expect(error?.message.english.contains("1001") == true)
        #expect(hasher.count == 0)
        #expect(try await harness.commitCount() == before)
    }

    @Test("the largest batch fits one commit of every store")
    func largestBatchFits() async throws {
        let harness = try Harness.make(.file)
        let manager = try await harness.verifiedOperator()
        // Every field at its longest, so the commit is as large as a batch can make it.
        let name = String(repeating: "Ā", count: DisplayName.maximumLength)
        let rows = try (0..<VerificationService.maximumStaffBatchSize).map { index in
            let local = String(format: "%04d", index) + String(repeating: "g", count: 60)
            let domain = (0..<3).map { _ in String(repeating: "d", count: 60) }.joined(separator: ".") + ".id"
            return try Self.row(name, local + "." + domain, local + "@" + domain)
        }
        let accounts = try await harness.service.registerStaff(rows, by: manager.id)
        #expect(accounts.count == VerificationService.maximumStaffBatchSize)
    }

    @Test("only a verified operator may register a batch; nothing changes otherwise")
    func authorization() async throws {
        let harness = try Harness.make(.memory)
        let unverified = try await harness.createSchool()
        let before = try await harness.commitCount()
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.registerStaff(try Self.threeRows(), by: unverified.id)
        }
        #expect(error?.code == .authorization)
        #expect(try await harness.commitCount() == before)
    }

    @Test(
        "a batch's passwords are hashed one or two to a task, each credential in its own row, progress in order",
        arguments: [(cores: 1, counts: [2, 4, 5]), (cores: 2, counts: nil), (cores: 8, counts: [1, 2, 3, 4, 5])])
    func hashesPasswordsInTheirRows(cores: Int, counts: [Int]?) async throws {
        let harness = try Harness.make(.memory)
        let passwords = (0..<5).map { "Kata-Sandi-Baris-\($0)" }
        let reported = LockedValue<[Int]>([])
        let credentials = await harness.service.hashPasswords(passwords, cores: cores) { count in
            reported.withLock { $0.append(count) }
        }
        try #require(credentials.count == passwords.count)
        let hasher = PBKDF2PasswordHasher(iterations: 1_000)
        for (row, credential) in credentials.enumerated() {
            #expect(try hasher.verify(passwords[row], against: credential), "row \(row)")
            #expect(try !hasher.verify(passwords[(row + 1) % passwords.count], against: credential), "row \(row)")
        }
        // One task at a time (1 core), or one password to a task (8 cores), fixes the counts; with two tasks of
        // two they may finish in either order (2, 4, 5 or 2, 3, 5), but each step is one task's passwords.
        let steps = reported.withLock { $0 }
        if let counts { #expect(steps == counts) }
        #expect(steps.last == passwords.count)
        #expect(zip([0] + steps, steps).allSatisfy { previous, count in (1...2).contains(count - previous) })
    }

    @Test("an empty batch stores nothing and is not an error")
    func empty() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let before = try await harness.commitCount()
        #expect(try await harness.service.registerStaff([], by: manager.id).isEmpty)
        #expect(try await harness.commitCount() == before)
    }
}

/// A PBKDF2 hasher (few iterations) that counts its hashes.
final class CountingHasher: PasswordHasher {
    private let inner = PBKDF2PasswordHasher(iterations: 1_000)
    private let hashes = LockedValue(0)

    var count: Int { hashes.withLock { $0 } }

    func hash(_ password: String) -> PasswordCredential {
        hashes.withLock { $0 += 1 }
        return inner.hash(password)
    }

    func verify(_ password: String, against credential: PasswordCredential) throws(PasswordHashError) -> Bool {
        try inner.verify(password, against: credential)
    }

    func needsRehash(_ credential: PasswordCredential) -> Bool { inner.needsRehash(credential) }
}

/// A store that lets a competing request commit first, just before the first commit it is asked for.
final class RacingStore: ForwardingRecordStore {
    let base: any RecordStore
    private let competitor: LockedValue<(@Sendable () async throws -> Void)?>
    private let commits = LockedValue(0)

    init(_ inner: any RecordStore, competitor: @escaping @Sendable () async throws -> Void) {
        self.base = inner
        self.competitor = LockedValue(competitor)
    }

    /// How many commits were asked of this store (the competitor's not counted).
    var attemptedCommits: Int { commits.withLock { $0 } }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        commits.withLock { $0 += 1 }
        if let competitor = competitor.withLock({ $0.take() }) { try await competitor() }
        return try await base.commit(mutations)
    }
}

@Suite(.timeLimit(.minutes(10)))
struct StaffCheckBoundTests {
    /// Rows `range` of a school's staff list, each with its own address and username.
    static func rows(_ range: Range<Int>) throws -> [AccountRegistration] {
        try range.map { index in
            AccountRegistration(
                displayName: try DisplayName("Guru \(index)"), username: try Username("guru\(index)"),
                email: try EmailAddress("guru\(index)@sdn1.sch.id"), password: Harness.ptkPassword)
        }
    }

    @Test("checking rows against the registered accounts is bounded per operator per day and audited")
    func bounded() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let start = harness.clock.now
        _ = try await harness.service.checkStaff(try Self.rows(0..<1_000), by: manager.id)
        harness.clock.advance(by: 3600)
        _ = try await harness.service.checkStaff(try Self.rows(1_000..<2_000), by: manager.id)
        let refused = await #expect(throws: VerificationError.self) {
            try await harness.service.checkStaff(try Self.rows(2_000..<2_001), by: manager.id)
        }
        #expect(refused?.code == .tooManyChecks)
        #expect(refused?.retryAt == start.addingTimeInterval(24 * 3600))
        // A second refusal within the day writes nothing more.
        await #expect(throws: VerificationError.self) {
            try await harness.service.checkStaff(try Self.rows(2_001..<2_002), by: manager.id)
        }
        let events = try await harness.service.events().filter { $0.kind == .staffChecked }
        #expect(events.count == 3)
        #expect(events.first?.actor == manager.id)
        #expect(events.first?.detail == "check: 1000 rows checked (1000 not asked in 24 hours), 0 already registered")
        #expect(events.last?.detail == "check: refused, 1 rows over the daily bound of 2000")
        harness.clock.set(start.addingTimeInterval(24 * 3600))
        #expect(try await harness.service.checkStaff(try Self.rows(2_000..<2_001), by: manager.id).isEmpty)
    }

    @Test(
        "rows asked again within the day are charged once: a refused file checked, corrected and imported again fits",
        arguments: StoreKind.allCases)
    func sameRowsChargedOnce(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let other = try await harness.verifiedOperator(npsn: "20100202", email: "op@sdn2.sch.id", username: "operator2")
        _ = try await harness.registerPTK("Dipakai", username: "dipakai", email: "guru699@sdn1.sch.id", by: other)
        let manager = try await harness.verifiedOperator()
        // A first import of 1,000 that went through, then a file of 700 whose last row is taken.
        _ = try await harness.service.registerStaff(try Self.rows(2_000..<3_000), by: manager.id)
        let file = try Self.rows(0..<700)
        for _ in 0..<3 {
            let refused = await #expect(throws: VerificationError.self) {
                _ = try await harness.service.registerStaff(file, by: manager.id)
            }
            #expect(refused?.code == .invalidBatch)
            #expect(try await harness.service.checkStaff(file, by: manager.id).map(\.row) == [699])
        }
        // The good rows (the file with its bad row left out): charged already, so they fit.
        let imported = try await harness.service.registerStaff(Array(file.prefix(699)), by: manager.id)
        #expect(imported.count == 699)
        let checks = try await harness.service.events(limit: 100_000).compactMap { event in
            event.kind == .staffChecked ? event.detail : nil
        }
        #expect(checks.first == "refused batch: 700 rows checked (700 not asked in 24 hours), 1 already registered")
        #expect(checks.dropFirst().allSatisfy { $0.contains("(0 not asked in 24 hours)") }, "\(checks)")
        // Charged so far: 700, then one for each of the five calls that asked only rows asked before
        // (a call costs at least one row, so calls and their lookups are bounded too): 705. A row
        // asked with another username is a new row.
        let renamed = AccountRegistration(
            displayName: try DisplayName("Guru 699"), username: try Username("guru699b"),
            email: try EmailAddress("guru699@sdn1.sch.id"), password: Harness.ptkPassword)
        #expect(try await harness.service.checkStaff([renamed], by: manager.id).count == 1)
        _ = try await harness.service.checkStaff(try Self.rows(3_000..<4_000), by: manager.id)
        _ = try await harness.service.checkStaff(try Self.rows(4_000..<4_294), by: manager.id)
        // 2,000 charged: even rows asked before are refused now, before they are looked up.
        for rows in [try Self.rows(4_294..<4_295), file] {
            let refused = await #expect(throws: VerificationError.self) {
                try await harness.service.checkStaff(rows, by: manager.id)
            }
            #expect(refused?.code == .tooManyChecks)
        }
    }

    @Test("a refusal's retry time counts the call's rows that become new again as older checks leave the window")
    func retryTimeCountsRowsThatBecomeNew() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let start = harness.clock.now
        let file = try Self.rows(0..<700)
        _ = try await harness.service.checkStaff(file, by: manager.id)
        harness.clock.advance(by: 3600)
        _ = try await harness.service.checkStaff(try Self.rows(1_000..<2_000), by: manager.id)
        _ = try await harness.service.checkStaff(try Self.rows(2_000..<2_300), by: manager.id)
        // The file again with ten new rows: 2,010. Once the first check leaves the window its 700 rows
        // are new again (1,300 + 710), so only when the second leaves too does the call fit.
        let grown = file + (try Self.rows(5_000..<5_010))
        let refused = await #expect(throws: VerificationError.self) {
            try await harness.service.checkStaff(grown, by: manager.id)
        }
        #expect(refused?.code == .tooManyChecks)
        #expect(
            refused?.retryAt == start.addingTimeInterval(3600 + 24 * 3600), "\(String(describing: refused?.retryAt))")
        harness.clock.set(start.addingTimeInterval(24 * 3600))
        await #expect(throws: VerificationError.self) { try await harness.service.checkStaff(grown, by: manager.id) }
        harness.clock.set(start.addingTimeInterval(3600 + 24 * 3600))
        #expect(try await harness.service.checkStaff(grown, by: manager.id).isEmpty)
    }

    @Test("the quota's record at the bound stays small: every charged row is 16 hex digits, every check a time")
    func quotaRecordAtTheBound() throws {
        let harness = try Harness.make(.memory)
        let limit = VerificationService.maximumStaffRowsCheckedPerDay
        let fingerprints = harness.service.staffCheckFingerprints(try Self.rows(0..<limit))
        #expect(Set(fingerprints).count == limit && fingerprints.allSatisfy { $0.utf8.count == 16 })
        let start = harness.clock.now
        // The two extremes the bound allows inside one window: one check charged every row, and every
        // row charged by a check of its own (a call costs at least one row, so there are no more checks).
        let oneCheck = StaffCheckQuota(checks: [.init(at: start, rows: limit, fingerprints: fingerprints)])
        let everyRowAlone = StaffCheckQuota(
            checks: fingerprints.enumerated().map { index, fingerprint in
                .init(at: start.addingTimeInterval(Double(index) * 43.2), rows: 1, fingerprints: [fingerprint])
            },
            refusalRecordedAt: start.addingTimeInterval(86_000))
        let sizes = try [oneCheck, everyRowAlone].map { try $0.encodedRecord().count }
        // Measured on 2026-12-07: 38,059 and 129,243 bytes, rewritten by each check that charges a row.
        #expect(sizes[0] < 48 * 1024 && sizes[1] < 160 * 1024, "\(sizes)")
        #expect(sizes.allSatisfy { $0 < StoreLimits.maximumValueBytes / 100 })
    }

    @Test("two checks of the same rows at once charge them once", arguments: StoreKind.allCases)
    func concurrentChecksChargeOnce(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let service = harness.sibling { $0.store = YieldingRecordStore(base: harness.store) }
        let manager = try await harness.verifiedOperator()
        let rows = try Self.rows(0..<1_000)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { _ = try await service.checkStaff(rows, by: manager.id) } }
            try await group.waitForAll()
        }
        let details = try await harness.service.events(limit: 1_000).compactMap { event in
            event.kind == .staffChecked ? event.detail : nil
        }
        #expect(
            details.sorted() == [
                "check: 1000 rows checked (0 not asked in 24 hours), 0 already registered",
                "check: 1000 rows checked (1000 not asked in 24 hours), 0 already registered",
            ])
        // 1,001 charged: 999 new rows fit, 1,000 do not.
        await #expect(throws: VerificationError.self) {
            try await harness.service.checkStaff(try Self.rows(1_000..<2_000), by: manager.id)
        }
        #expect(try await harness.service.checkStaff(try Self.rows(1_000..<1_999), by: manager.id).isEmpty)
    }
}
