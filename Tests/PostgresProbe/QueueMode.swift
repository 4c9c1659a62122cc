// `PostgresProbe queue URL SCHEMA KEY_BASE64 ACCOUNT_UUID`: a verification service on the store that
// queues a code for the account without sending it (`sendImmediately` off) and prints "queued" once
// the commit is acknowledged; another process's dispatcher is to send it.
#if PostgreSQL
    import DapodikPostgres
    import DapodikVerification
    import Foundation

    func queueCode(_ arguments: [String]) async throws {
        guard arguments.count == 5, let uuid = UUID(uuidString: arguments[4]) else {
            FileHandle.standardError.write(Data("usage: PostgresProbe queue URL SCHEMA KEY ACCOUNT_UUID\n".utf8))
            exit(64)
        }
        var storeConfiguration = try PostgresRecordStore.Configuration(url: arguments[1], password: nil)
        storeConfiguration.schema = arguments[2]
        let store = try PostgresRecordStore(configuration: storeConfiguration)
        var configuration = VerificationService.Configuration(
            store: store, transport: InMemoryMailTransport(),
            keyRing: try CodeKeyRing(current: try CodeKey(id: CodeKeyID("k1"), base64: arguments[3])),
            sender: try EmailAddress("verifikasi@dapodik.example.id"))
        configuration.dispatch.sendImmediately = false
        let service = VerificationService(configuration: configuration)
        let account = AccountID(uuid)
        _ = try await service.requestCode(for: account, by: account)
        FileHandle.standardOutput.write(Data("queued\n".utf8))
        await store.shutdown()
    }
#endif
