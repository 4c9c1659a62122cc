#if PostgreSQL
    import DapodikLocking
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikStorageContract
    import DapodikVerification
    import Foundation
    import PostgresNIO
    import Testing

    /// The dispatcher's wake-up on PostgreSQL: a commit's `NOTIFY` ends the wait of a dispatcher in
    /// another process long before its poll interval, the listening connection survives being
    /// terminated, and without it the poll bound still delivers.
    ///
    /// The bounds are far apart on purpose (a dispatcher polling every 60 s must send within 20 s), so
    /// a loaded machine cannot make them flaky: only a missing wake-up fails them.
    @Suite(
        "The outbox dispatcher woken by NOTIFY on PostgreSQL", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresWakeUpTests {
        @Test("a dispatcher polling every 60 s sends a code queued by another process within 20 s")
        func wokenByAnotherProcess() async throws {
            let url = try PostgresTestServer.requireURL()
            try await PostgresTestServer.withFreshStore { store, configuration in
                let scenario = try await QueuedCodes(store: store, count: 1, queueingCodes: false)
                try await WakeUpDispatcher.run(configuration, scenario, pollInterval: .seconds(60)) { dispatcher in
                    try await dispatcher.waitUntilWaiting(listening: true)
                    let sentWithin = try await dispatcher.queueAndTimeDelivery(
                        for: scenario.staff[0], url: url, key: scenario.key, bound: .seconds(20))
                    #expect(sentWithin != nil, "not sent within 20 s: the dispatcher was not woken")
                }
            }
        }

        @Test("after its listening connection is terminated, the dispatcher listens again and is woken again")
        func listenerSurvivesTermination() async throws {
            let url = try PostgresTestServer.requireURL()
            try await PostgresTestServer.withFreshStore { store, configuration in
                let scenario = try await QueuedCodes(store: store, count: 2, queueingCodes: false)
                try await WakeUpDispatcher.run(configuration, scenario, pollInterval: .seconds(60)) { dispatcher in
                    try await dispatcher.waitUntilWaiting(listening: true)
                    let first = try #require(try await dispatcher.listeningProcesses().first)
                    try await PostgresTestServer.sql("SELECT pg_terminate_backend(\(first))::text", configuration)
                    try await dispatcher.waitUntilWaiting(listening: true, notOn: first)
                    let sentWithin = try await dispatcher.queueAndTimeDelivery(
                        for: scenario.staff[0], url: url, key: scenario.key, bound: .seconds(20))
                    #expect(sentWithin != nil, "not sent within 20 s after the listener came back")
                    // And once more, to show the new listener keeps hearing.
                    try await dispatcher.waitUntilWaiting(listening: true)
                    let again = try await dispatcher.queueAndTimeDelivery(
                        for: scenario.staff[1], url: url, key: scenario.key, bound: .seconds(20))
                    #expect(again != nil, "the second code was not sent within 20 s")
                }
            }
        }

        @Test("a LISTEN whose answer never comes is given up, and the dispatcher listens on a fresh connection")
        func unansweredListenIsGivenUp() async throws {
            let url = try PostgresTestServer.requireURL()
            try await PostgresTestServer.withFreshStore { store, configuration in
                let scenario = try await QueuedCodes(store: store, count: 1, queueingCodes: false)
                let proxy = try CuttingProxy(upstream: configuration.client.port ?? 5432, blackHolingListen: true)
                defer { proxy.stop() }
                var viaProxy = configuration
                viaProxy.client = PostgresClient.Configuration(
                    host: "127.0.0.1", port: proxy.port, username: configuration.client.username, password: nil,
                    database: configuration.client.database, tls: .disable)
                viaProxy.operationTimeout = .seconds(3)
                try await WakeUpDispatcher.run(viaProxy, scenario, pollInterval: .seconds(60)) { dispatcher in
                    // The first LISTEN reaches the server, which listens, but its answer never comes back.
                    let clock = ContinuousClock()
                    let deadline = clock.now.advanced(by: .seconds(30))
                    var blackHoled: String?
                    while blackHoled == nil, clock.now < deadline {
                        if proxy.didCut { blackHoled = try await dispatcher.listeningProcesses().first }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    let first = try #require(blackHoled, "the proxy saw no LISTEN within 30 s")
                    try await dispatcher.waitUntilWaiting(listening: true, notOn: first)
                    let sentWithin = try await dispatcher.queueAndTimeDelivery(
                        for: scenario.staff[0], url: url, key: scenario.key, bound: .seconds(20))
                    #expect(sentWithin != nil, "not sent within 20 s after listening on a fresh connection")
                }
            }
        }

        @Test("with no listening connection, the poll bound still delivers a code queued by another process")
        func pollBoundWithoutListener() async throws {
            let url = try PostgresTestServer.requireURL()
            try await PostgresTestServer.withFreshStore { store, configuration in
                let scenario = try await QueuedCodes(store: store, count: 1, queueingCodes: false)
                var quiet = configuration
                quiet.listensForChanges = false
                try await WakeUpDispatcher.run(quiet, scenario, pollInterval: .seconds(2)) { dispatcher in
                    try await dispatcher.waitUntilWaiting(listening: false)
                    #expect(try await dispatcher.listeningProcesses().isEmpty)
                    let sentWithin = try await dispatcher.queueAndTimeDelivery(
                        for: scenario.staff[0], url: url, key: scenario.key, bound: .seconds(60))
                    #expect(sentWithin != nil, "not sent within 60 s by a dispatcher polling every 2 s")
                }
            }
        }
    }

    /// A dispatcher in the test process on a store of its own (not the one that set up the scenario),
    /// sending into a transport that notes when each message arrived.
    struct WakeUpDispatcher {
        let store: WaitWatchingStore
        let configuration: PostgresRecordStore.Configuration
        let transport = InMemoryMailTransport()

        /// Runs `body` while the dispatcher loop runs with `pollInterval`; stops it afterwards.
        static func run(
            _ configuration: PostgresRecordStore.Configuration, _ scenario: QueuedCodes, pollInterval: Duration,
            _ body: (WakeUpDispatcher) async throws -> Void
        ) async throws {
            let postgres = try PostgresRecordStore(configuration: configuration)
            let dispatcher = WakeUpDispatcher(
                store: WaitWatchingStore(postgres), configuration: configuration)
            var service = VerificationService.Configuration(
                store: dispatcher.store, transport: dispatcher.transport,
                keyRing: try CodeKeyRing(current: try CodeKey(id: CodeKeyID("k1"), base64: scenario.key)),
                sender: try EmailAddress("verifikasi@dapodik.example.id"))
            service.dispatch.sendImmediately = false
            let loop = Task { [service] in
                try await VerificationService(configuration: service).runDispatcher(pollInterval: pollInterval)
            }
            do {
                try await body(dispatcher)
            } catch {
                loop.cancel()
                await postgres.shutdown()
                throw error
            }
            loop.cancel()
            try await loop.value
            await postgres.shutdown()
        }

        /// The server processes listening on the store's channel.
        func listeningProcesses() async throws -> [String] {
            let channel = PostgresRecordStore.changeChannel(forSchema: configuration.schema)
            return try await PostgresTestServer.sql(
                "SELECT pid::text FROM pg_stat_activity WHERE query = 'LISTEN \"\(channel)\";'", configuration
            ).compactMap { $0 }
        }

        /// Polls (at most 30 s) until the dispatcher waits in the store and, when `listening`, a server
        /// process other than `notOn` listens on the channel.
        func waitUntilWaiting(listening: Bool, notOn previous: String? = nil) async throws {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(30))
            while clock.now < deadline {
                let listeners = listening ? try await listeningProcesses().filter { $0 != previous } : []
                if store.isWaiting && (!listening || !listeners.isEmpty) {
                    // A wait begun after the listener's first signal (which ends the wait before it).
                    let rounds = store.waits
                    try await Task.sleep(for: .milliseconds(300))
                    if store.isWaiting && store.waits == rounds { return }
                    continue
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("the dispatcher did not settle into waiting within 30 s")
            throw TimedOut()
        }

        /// Queues a code for `account` in another process and returns how long after the queueing
        /// was acknowledged the dispatcher handed it to the transport; `nil` if not within `bound`.
        func queueAndTimeDelivery(for account: Account, url: String, key: String, bound: Duration) async throws
            -> Duration?
        {
            let before = transport.deliveries(to: account.email!).count
            let probe = try ProbeProcess([
                "queue", url, configuration.schema, key, account.id.rawValue.uuidString,
            ])
            try await probe.waitForEnd()
            try #require(probe.sending == ["queued"], "the probe queued the code")
            let clock = ContinuousClock()
            let queued = clock.now
            while clock.now - queued < bound {
                if transport.deliveries(to: account.email!).count > before { return clock.now - queued }
                try await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }

        struct TimedOut: Error {}
    }

    /// A store that forwards everything to another and tells whether a reader is waiting for changes
    /// in it, and how many waits have begun.
    final class WaitWatchingStore: ForwardingRecordStore {
        let base: any RecordStore
        private let state = LockedValue((waiting: 0, begun: 0))

        init(_ base: any RecordStore) { self.base = base }

        var isWaiting: Bool { state.withLock { $0.waiting > 0 } }
        var waits: Int { state.withLock { $0.begun } }

        func waitForChanges(in collection: String, since mark: ChangeSignalMark, atMost limit: Duration) async {
            state.withLock {
                $0.waiting += 1
                $0.begun += 1
            }
            await base.waitForChanges(in: collection, since: mark, atMost: limit)
            state.withLock { $0.waiting -= 1 }
        }
    }
#endif
