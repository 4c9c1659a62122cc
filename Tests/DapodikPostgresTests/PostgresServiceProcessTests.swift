#if PostgreSQL
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikVerification
    import Foundation
    import Testing

    /// The service's concurrency guarantees with two service processes (`PostgresProbe submit`) on one
    /// database.
    @Suite(
        "Verification service in two processes on PostgreSQL", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresServiceProcessTests {
        @Test("100 concurrent submissions of one code from two processes: exactly one verifies")
        func oneCodeTwoProcesses() async throws {
            let outcomes = try await submit(wrong: false, perProcess: 50)
            #expect(outcomes.filter { $0 == "verified" }.count == 1, "\(outcomes)")
            #expect(outcomes.filter { $0 == "alreadyVerified" }.count == 99, "\(outcomes)")
        }

        @Test("60 concurrent wrong guesses from two processes stop at the attempt limit")
        func wrongGuessesTwoProcesses() async throws {
            let outcomes = try await submit(wrong: true, perProcess: 30)
            #expect(outcomes.filter { $0.hasPrefix("wrong ") }.sorted() == (0...4).map { "wrong \($0)" }, "\(outcomes)")
            #expect(outcomes.filter { $0 == "attemptsExhausted" }.count == 55, "\(outcomes)")
        }

        /// Two probes each submit the PTK's code (or a wrong one) `perProcess` times at once.
        private func submit(wrong: Bool, perProcess: Int) async throws -> [String] {
            let url = try PostgresTestServer.requireURL()
            var outcomes: [String] = []
            try await PostgresTestServer.withFreshStore { store, configuration in
                let scenario = try await QueuedCodes(store: store, count: 1)
                let ptk = scenario.staff[0]
                let code = try await scenario.sentCode(to: ptk)
                let guess = wrong ? String((Int(code)! + 1) % 1_000_000).leftPadded(to: 6) : code
                let probes = try (0..<2).map { _ in
                    try ProbeProcess([
                        "submit", url, configuration.schema, scenario.key, ptk.id.rawValue.uuidString, guess,
                        "\(perProcess)",
                    ])
                }
                for probe in probes { try await probe.waitForEnd() }
                #expect(probes.allSatisfy { $0.process.terminationStatus == 0 })
                outcomes = probes.flatMap(\.sending)
                #expect(outcomes.count == 2 * perProcess)
            }
            return outcomes
        }
    }

    extension String {
        fileprivate func leftPadded(to length: Int) -> String {
            String(repeating: "0", count: max(0, length - count)) + self
        }
    }
#endif
