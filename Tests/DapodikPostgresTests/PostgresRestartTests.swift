#if PostgreSQL
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikStorage
    import DapodikLocking
    import Foundation
    import Testing

    #if canImport(Glibc)
        import Glibc
    #endif

    /// Tests that restart the server: they disturb every other test, so they run on their own
    /// (`.ci/run` runs them in a second `swift test` with `DAPODIK_TEST_POSTGRES_DISRUPTIVE=1`).
    @Suite(
        "PostgreSQL server restarts",
        .enabled(
            if: ProcessInfo.processInfo.environment["DAPODIK_TEST_POSTGRES_DISRUPTIVE"] == "1",
            "restarts the server: run alone with DAPODIK_TEST_POSTGRES_DISRUPTIVE=1 under .ci/with-postgres"),
        .timeLimit(.minutes(10)))
    struct PostgresRestartTests {
        @Test("a writer survives a server restart mid-run: every acknowledged commit is there, none twice")
        func restartMidRun() async throws {
            let control = try #require(ProcessInfo.processInfo.environment["DAPODIK_TEST_POSTGRES_CTL"])
            try await PostgresTestServer.withFreshStore(operationTimeout: .seconds(5)) { store, _ in
                // The writer keeps going until the restart is over and `afterRestart` more commits have
                // succeeded: the run straddles the restart however fast either side is.
                let afterRestart = 100
                let restarted = LockedValue(false)
                let restarter = Task {
                    // Restart once the writer is under way.
                    while try await store.changes(after: 50, limit: 1).isEmpty {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    try await runControl(control, ["restart", "-m", "fast"])
                    restarted.withLock { $0 = true }
                }
                var acknowledged: [Int: UInt64] = [:]
                var transientFailures = 0
                var n = 0
                var committedAfterRestart = 0
                while committedAfterRestart < afterRestart && n < 100_000 {
                    let isRestarted = restarted.withLock { $0 }
                    let key = RecordKey(collection: "item", id: "\(n)")
                    do {
                        acknowledged[n] = try await store.commit(
                            .put(key, value: Data("\(n)".utf8), expecting: .mustNotExist))
                        n += 1
                        if isRestarted { committedAfterRestart += 1 }
                    } catch let error as StoreError where error.code == .unavailable || error.code == .outcomeUnknown {
                        transientFailures += 1
                        #expect(transientFailures < 500, "the store did not come back")
                        if transientFailures >= 500 { break }
                        try await Task.sleep(for: .milliseconds(50))
                    } catch let error as StoreError where error.code == .alreadyExists {
                        // Only after an outcome the store could not settle; it was applied: count it.
                        acknowledged[n] = try #require(try await store.record(for: key)).sequence
                        n += 1
                    }
                }
                try await restarter.value
                // No expectation on transientFailures: a commit may wait out the restart in the pool's
                // queue and see no error. The restart (pg_ctl -w succeeded) lies between commit 51 and
                // the last `afterRestart` commits, which is what "mid-run" means here.
                #expect(committedAfterRestart == afterRestart, "the store got back to committing")
                let feed = try await store.changes(after: 0, limit: n + 10)
                #expect(feed.map(\.sequence) == Array(1...UInt64(n)))
                for (n, sequence) in acknowledged {
                    let record = try await store.record(for: RecordKey(collection: "item", id: "\(n)"))
                    #expect(record?.sequence == sequence)
                    #expect(record?.version == 1)
                }
            }
        }
    }

    /// Runs the cluster's control script and waits for it without blocking a thread of the
    /// cooperative pool: the child is reaped with `waitpid(WNOHANG)` between sleeps. (Foundation's
    /// `Process.waitUntilExit()` here never returned: its child stayed a zombie, unreaped, and the
    /// test hung with the store idle and the server long back.)
    private func runControl(_ control: String, _ arguments: [String]) async throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([control] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        guard posix_spawn(&child, control, &actions, nil, argv, environ) == 0 else {
            throw CocoaError(.executableLoad)
        }
        var status: Int32 = 0
        for _ in 0..<1_200 {
            let reaped = waitpid(child, &status, WNOHANG)
            if reaped == child {
                // Exited normally with status 0: the low 7 bits (signal) and the exit code are zero.
                guard status == 0 else { throw CocoaError(.executableLoad) }
                return
            }
            guard reaped == 0 else { throw CocoaError(.executableLoad) }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(child, SIGKILL)
        _ = waitpid(child, &status, 0)
        throw CocoaError(.executableLoad)
    }
#endif
