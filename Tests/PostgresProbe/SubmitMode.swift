// `PostgresProbe submit URL SCHEMA KEY_BASE64 ACCOUNT_UUID CODE COUNT`: a verification service on the
// store that submits CODE for the account COUNT times at once and prints one line per outcome
// ("verified", "alreadyVerified", "wrong <left>", "attemptsExhausted", or "other <description>").
#if PostgreSQL
    import DapodikPostgres
    import DapodikVerification
    import Foundation

    func runSubmissions(_ arguments: [String]) async throws {
        guard arguments.count == 7, let uuid = UUID(uuidString: arguments[4]), let count = Int(arguments[6]) else {
            FileHandle.standardError.write(
                Data("usage: PostgresProbe submit URL SCHEMA KEY ACCOUNT_UUID CODE COUNT\n".utf8))
            exit(64)
        }
        var storeConfiguration = try PostgresRecordStore.Configuration(url: arguments[1], password: nil)
        storeConfiguration.schema = arguments[2]
        let store = try PostgresRecordStore(configuration: storeConfiguration)
        let service = VerificationService(
            configuration: VerificationService.Configuration(
                store: store, transport: InMemoryMailTransport(),
                keyRing: try CodeKeyRing(current: try CodeKey(id: CodeKeyID("k1"), base64: arguments[3])),
                sender: try EmailAddress("verifikasi@dapodik.example.id")))
        let account = AccountID(uuid)
        let code = arguments[5]
        let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<count {
                group.addTask {
                    switch try await service.submitCode(code, for: account, by: account).outcome {
                    case .verified: "verified"
                    case .alreadyVerified: "alreadyVerified"
                    case .wrong(let left): "wrong \(left)"
                    case .attemptsExhausted: "attemptsExhausted"
                    case let other: "other \(other)"
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        FileHandle.standardOutput.write(Data(outcomes.map { $0 + "\n" }.joined().utf8))
        await store.shutdown()
    }
#endif
