#if PostgreSQL
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikVerification
    import Foundation
    import Testing

    /// Outbox dispatchers in separate processes (`PostgresProbe dispatch`) on one database: the leases
    /// are the store-generic conditional commits of `VerificationService+Dispatch.swift`.
    @Suite("Outbox dispatchers across processes on PostgreSQL", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresDispatchProcessTests {
        @Test("four dispatchers in two processes send every queued code exactly once")
        func fourDispatchersNeverDoubleSend() async throws {
            let url = try PostgresTestServer.requireURL()
            try await PostgresTestServer.withFreshStore { store, configuration in
                let scenario = try await QueuedCodes(store: store, count: 40)
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dapodik-dispatch-\(UUID())")
                defer { try? FileManager.default.removeItem(at: folder) }
                let probes = try (0..<2).map { number in
                    try ProbeProcess([
                        "dispatch", url, configuration.schema, scenario.key,
                        folder.appendingPathComponent("p\(number)").path, "2", "120",
                    ])
                }
                for probe in probes { try await probe.waitForEnd() }
                #expect(probes.allSatisfy { $0.process.terminationStatus == 0 })
                let delivered = try Self.messageIDs(in: folder)
                #expect(delivered.count == scenario.count, "every queued code, no more")
                #expect(Set(delivered).count == delivered.count, "no Message-ID twice")
                #expect(probes.map(\.sending.count).reduce(0, +) == scenario.count, "no send started twice")
                #expect(try await scenario.service.drainOutbox().handedOver == 0)
            }
        }

        @Test("kill -9 of a dispatcher holding leases: its messages are sent by another after the lease expires")
        func killedDispatcherStrandsNothing() async throws {
            let url = try PostgresTestServer.requireURL()
            try await PostgresTestServer.withFreshStore { store, configuration in
                let scenario = try await QueuedCodes(store: store, count: 12)
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dapodik-dispatch-\(UUID())")
                defer { try? FileManager.default.removeItem(at: folder) }
                // The victim leases for 3 s and hangs inside every send; two loops hold two leases.
                let victim = try ProbeProcess([
                    "dispatch", url, configuration.schema, scenario.key, folder.appendingPathComponent("victim").path,
                    "2", "3", "hang",
                ])
                var polls = 0
                while victim.sending.count < 2 && polls < 6_000 {
                    try await Task.sleep(for: .milliseconds(10))
                    polls += 1
                }
                let held = victim.sending
                kill(victim.process.processIdentifier, SIGKILL)
                try await victim.waitForEnd()
                try #require(held.count == 2, "the victim started two sends before it was killed")
                let survivor = try ProbeProcess([
                    "dispatch", url, configuration.schema, scenario.key, folder.appendingPathComponent("survivor").path,
                    "2", "120",
                ])
                try await survivor.waitForEnd()
                #expect(survivor.process.terminationStatus == 0)
                let delivered = try Self.messageIDs(in: folder)
                #expect(delivered.count == scenario.count)
                #expect(Set(delivered).count == scenario.count)
                for id in held { #expect(delivered.contains { "<\($0)>" == id || $0 == id }, "\(id) was stranded") }
            }
        }

        /// The Message-ID of every message in the Maildirs under `folder`.
        static func messageIDs(in folder: URL) throws -> [String] {
            guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
                return []
            }
            return try files.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }.compactMap { file in
                let text = try String(contentsOf: file, encoding: .utf8)
                return text.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("message-id:") }
                    .map { $0.dropFirst("message-id:".count).trimmingCharacters(in: .whitespaces) }
            }
        }
    }

    /// A school whose verified operator registered `count` PTKs, each with a code queued in the outbox
    /// (nothing sent: `sendImmediately` is off; with `queueingCodes` false, no code asked for), under a
    /// code key the probes are given.
    struct QueuedCodes {
        let service: VerificationService
        let key: String
        let count: Int
        let transport = InMemoryMailTransport()
        private(set) var staff: [Account] = []

        init(store: any RecordStore, count: Int, queueingCodes: Bool = true) async throws {
            var generator = SystemRandomNumberGenerator()
            key = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
            var configuration = VerificationService.Configuration(
                store: store, transport: transport,
                keyRing: try CodeKeyRing(current: try CodeKey(id: CodeKeyID("k1"), base64: key)),
                sender: try EmailAddress("verifikasi@dapodik.example.id"))
            configuration.passwordHasher = PBKDF2PasswordHasher(iterations: 1_000)
            configuration.dispatch.sendImmediately = false
            service = VerificationService(configuration: configuration)
            self.count = count
            let school = School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 Contoh"), timeZone: .wib)
            let manager = try await service.createSchool(
                school,
                operator: AccountRegistration(
                    displayName: try DisplayName("Siti Operator"), username: try Username("operator1"),
                    email: try EmailAddress("operator@sdn1.sch.id"), password: "Rahasia-Sekolah-2026",
                    confirmingUnusualDomain: true))
            _ = try await service.requestCode(for: manager.id, by: manager.id)
            _ = try await service.drainOutbox()
            let code = try #require(Self.code(in: transport, to: manager))
            #expect(try await service.submitCode(code, for: manager.id, by: manager.id).outcome == .verified)
            for n in 0..<count {
                let ptk = try await service.registerStaff(
                    AccountRegistration(
                        displayName: try DisplayName("Guru Nomor \(n)"), username: try Username("guru.\(n)"),
                        email: try EmailAddress("guru.\(n)@gmail.com"), password: "Guru-Teladan-Jaya-7"),
                    by: manager.id)
                if queueingCodes { _ = try await service.requestCode(for: ptk.id, by: ptk.id) }
                staff.append(ptk)
            }
        }

        /// Sends what is queued through this process's in-memory transport and returns the code the
        /// account was sent last.
        func sentCode(to account: Account) async throws -> String {
            _ = try await service.drainOutbox()
            return try #require(Self.code(in: transport, to: account))
        }

        private static func code(in transport: InMemoryMailTransport, to account: Account) -> String? {
            transport.deliveries(to: account.email!).last?.message.text.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.count == 6 && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        }
    }
#endif
