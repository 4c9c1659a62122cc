#if PostgreSQL
    import DapodikLanguage
    import DapodikLocking
    import DapodikPostgres
    import DapodikStorage
    import Logging
    import Testing

    /// The one probe a failing pool asks through, with the probe held in the test's hand: no server is
    /// needed, so these run wherever the trait is built.
    @Suite(
        "LoginRefusalCheck asks once for many callers, and waits for no probe longer than its patience",
        .timeLimit(.minutes(10)))
    struct LoginRefusalCheckTests {
        static let refused = StoreError(
            .databaseFailure,
            message: LocalizedText(indonesian: "login ditolak", english: "the login was refused"))
        static let logger = Logger(label: "test.login-refusal-check")

        @Test("callers whose operations began before a probe share its answer: one probe for twenty")
        func oneProbeForMany() async {
            let probes = LockedValue(0)
            let check = LoginRefusalCheck { _ in
                probes.withLock { $0 += 1 }
                return Self.refused
            }
            let began = ContinuousClock.now
            let answers = await withTaskGroup(of: StoreError?.self) { group in
                for _ in 0..<20 { group.addTask { await check.refusal(since: began, logger: Self.logger) } }
                return await group.reduce(into: [StoreError?]()) { $0.append($1) }
            }
            #expect(probes.withLock { $0 } == 1)
            #expect(answers.count == 20)
            #expect(answers.allSatisfy { $0 == Self.refused }, "\(answers)")
        }

        @Test("an operation that began after the latest probe started gets a probe of its own")
        func laterOperationAsksAgain() async {
            let probes = LockedValue(0)
            let check = LoginRefusalCheck { _ in
                probes.withLock { $0 += 1 }
                return nil
            }
            #expect(await check.refusal(since: .now, logger: Self.logger) == nil)
            #expect(await check.refusal(since: .now, logger: Self.logger) == nil)
            #expect(probes.withLock { $0 } == 2)
        }

        @Test("a probe that does not answer is waited for only so long; its later answer serves the next caller")
        func patience() async throws {
            let probes = LockedValue(0)
            let (gate, opener) = AsyncStream<StoreError?>.makeStream()
            let check = LoginRefusalCheck { _ in
                probes.withLock { $0 += 1 }
                for await answer in gate { return answer }
                return nil
            }
            let began = ContinuousClock.now
            // The probe is held: the caller gives up after the check's patience, with no answer.
            #expect(await check.refusal(since: began, logger: Self.logger) == nil)
            #expect(probes.withLock { $0 } == 1)
            // The probe was not cancelled: once it answers, a caller of the same moment gets its answer.
            opener.yield(Self.refused)
            #expect(await check.refusal(since: began, logger: Self.logger) == Self.refused)
            #expect(probes.withLock { $0 } == 1)
        }
    }
#endif
