// `PostgresProbe dispatch URL SCHEMA KEY_BASE64 MAILDIR DISPATCHERS LEASE_SECONDS [hang]`: a
// verification service on the store whose outbox DISPATCHERS concurrent loops drain into the Maildir
// MAILDIR. It prints "sending <Message-ID>" as each send starts and exits after five quiet rounds in
// a row (nothing done, nothing due within 10 s), or after 2 minutes. With `hang`, every send waits
// for ever after printing, holding its lease: the test kills the process with SIGKILL.
#if PostgreSQL
    import DapodikPostgres
    import DapodikVerification
    import Foundation

    /// A transport that reports each send on standard output before handing it to the Maildir (or,
    /// when hanging, never returns).
    struct ReportingTransport: MailTransport {
        let maildir: MaildirTransport
        let hang: Bool
        var name: String { "probe" }

        func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
            FileHandle.standardOutput.write(Data("sending \(message.messageID)\n".utf8))
            if hang {
                while true { try? await Task.sleep(for: .seconds(3600)) }
            }
            return try await maildir.send(message, envelope: envelope)
        }
    }

    func runDispatchers(_ arguments: [String]) async throws {
        guard arguments.count >= 7, let dispatchers = Int(arguments[5]), let lease = Double(arguments[6]) else {
            FileHandle.standardError.write(
                Data("usage: PostgresProbe dispatch URL SCHEMA KEY MAILDIR DISPATCHERS LEASE_SECONDS [hang]\n".utf8))
            exit(64)
        }
        var storeConfiguration = try PostgresRecordStore.Configuration(url: arguments[1], password: nil)
        storeConfiguration.schema = arguments[2]
        let store = try PostgresRecordStore(configuration: storeConfiguration)
        try FileManager.default.createDirectory(atPath: arguments[4], withIntermediateDirectories: true)
        let transport = ReportingTransport(
            maildir: MaildirTransport(directory: URL(fileURLWithPath: arguments[4])), hang: arguments.count > 7)
        var configuration = VerificationService.Configuration(
            store: store, transport: transport,
            keyRing: try CodeKeyRing(current: try CodeKey(id: CodeKeyID("k1"), base64: arguments[3])),
            sender: try EmailAddress("verifikasi@dapodik.example.id"))
        configuration.dispatch.leaseDuration = .seconds(lease)
        configuration.dispatch.firstRetryDelay = .seconds(1)
        configuration.dispatch.batchSize = 5
        let service = VerificationService(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<dispatchers {
                group.addTask {
                    var quiet = 0
                    let giveUp = Date().addingTimeInterval(120)
                    while quiet < 5 && Date() < giveUp {
                        let summary = try await service.drainOutbox()
                        // Quiet: nothing done, and nothing due soon (a lease held by a dead process
                        // falls due within seconds; a sent message's next step is far away or none).
                        let nothingSoon = summary.nextDueAt.map { $0.timeIntervalSinceNow > 10 } ?? true
                        quiet = summary.isEmpty && nothingSoon ? quiet + 1 : 0
                        try await Task.sleep(for: .milliseconds(200))
                    }
                }
            }
            try await group.waitForAll()
        }
        await store.shutdown()
    }
#endif
