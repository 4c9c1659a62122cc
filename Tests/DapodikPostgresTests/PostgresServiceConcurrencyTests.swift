#if PostgreSQL
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikTestSupport
    import DapodikVerification
    import Foundation
    import Testing

    /// The service's concurrency guarantees, on the PostgreSQL store.
    @Suite("Verification service on PostgreSQL", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresServiceConcurrencyTests {
        @Test("100 concurrent submissions of the same valid code give exactly one success")
        func concurrentValidSubmissions() async throws {
            try await PostgresTestServer.withFreshStore { store, _ in
                let scenario = try await ServiceScenario(store: store)
                let (ptk, code) = try await scenario.ptkWithCode()
                let service = scenario.service
                let outcomes = try await withThrowingTaskGroup(of: CodeSubmissionResult.Outcome.self) { group in
                    for _ in 0..<100 {
                        group.addTask { try await service.submitCode(code, for: ptk.id, by: ptk.id).outcome }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 == .verified }.count == 1)
                #expect(outcomes.filter { $0 == .alreadyVerified }.count == 99)
                let kinds = try await service.events(after: .start, limit: 10_000).map(\.kind)
                #expect(kinds.filter { $0 == .emailVerified }.count == 2)
            }
        }

        @Test("concurrent wrong guesses never exceed the attempt limit")
        func concurrentWrongGuesses() async throws {
            try await PostgresTestServer.withFreshStore { store, _ in
                let scenario = try await ServiceScenario(store: store)
                let (ptk, code) = try await scenario.ptkWithCode()
                let wrong = String(code.first == "9" ? "0" : "\(code.first!.wholeNumberValue! + 1)") + code.dropFirst()
                let service = scenario.service
                let outcomes = try await withThrowingTaskGroup(of: CodeSubmissionResult.Outcome.self) { group in
                    for _ in 0..<60 {
                        group.addTask { try await service.submitCode(wrong, for: ptk.id, by: ptk.id).outcome }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let answered = outcomes.compactMap { outcome -> Int? in
                    if case .wrong(let left) = outcome { left } else { nil }
                }
                #expect(answered.sorted() == [0, 1, 2, 3, 4])
                #expect(outcomes.filter { $0 == .attemptsExhausted }.count == 55)
                #expect(try await service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .attemptsExhausted)
            }
        }
    }

    /// A school with a verified operator and a PTK, on a given store.
    struct ServiceScenario {
        let service: VerificationService
        let transport = InMemoryMailTransport()
        let manager: Account

        init(store: any RecordStore) async throws {
            var configuration = VerificationService.Configuration(
                store: store, transport: transport,
                keyRing: try CodeKeyRing(current: .random(id: CodeKeyID("k1"))),
                sender: try EmailAddress("verifikasi@dapodik.example.id"))
            configuration.passwordHasher = PBKDF2PasswordHasher(iterations: 1_000)
            service = VerificationService(configuration: configuration)
            let school = School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 Contoh"), timeZone: .wib)
            manager = try await service.createSchool(
                school,
                operator: AccountRegistration(
                    displayName: try DisplayName("Siti Operator"), username: try Username("operator1"),
                    email: try EmailAddress("operator@sdn1.sch.id"), password: "Rahasia-Sekolah-2026",
                    confirmingUnusualDomain: true))
            let code = try await Self.requestCode(for: manager, service: service, transport: transport)
            #expect(try await service.submitCode(code, for: manager.id, by: manager.id).outcome == .verified)
        }

        /// A new PTK of the school and the code it was sent.
        func ptkWithCode() async throws -> (Account, String) {
            let ptk = try await service.registerStaff(
                AccountRegistration(
                    displayName: try DisplayName("Budi Santoso"), username: try Username("budi.santoso"),
                    email: try EmailAddress("budi.santoso@gmail.com"), password: "Guru-Teladan-Jaya-7"),
                by: manager.id)
            return (ptk, try await Self.requestCode(for: ptk, service: service, transport: transport))
        }

        private static func requestCode(
            for account: Account, service: VerificationService, transport: InMemoryMailTransport
        ) async throws -> String {
            _ = try await service.requestCode(for: account.id, by: account.id)
            let codes = transport.deliveries(to: account.email!).compactMap { verificationCode(in: $0.message.text) }
            return try #require(codes.last)
        }
    }
#endif
