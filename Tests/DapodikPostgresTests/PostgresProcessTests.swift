#if PostgreSQL
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikStorage
    import Foundation
    import DapodikLocking
    import Testing

    /// Two real processes on one database, one of them killed with SIGKILL in the middle of its commits.
    @Suite("PostgreSQL store across processes", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresProcessTests {
        @Test("two processes commit into one database; kill -9 of one loses no acknowledged commit")
        func killOneOfTwo() async throws {
            let url = try PostgresTestServer.requireURL()
            try await PostgresTestServer.withFreshStore { store, configuration in
                let count = 300
                let victim = try ProbeProcess([url, configuration.schema, "victim", "\(count)"])
                let survivor = try ProbeProcess([url, configuration.schema, "survivor", "\(count)"])
                // Kill the victim once it is well under way (polling with a generous bound).
                var waited = 0
                while victim.acknowledged.count < 40 && waited < 6_000 {
                    try await Task.sleep(for: .milliseconds(10))
                    waited += 1
                }
                kill(victim.process.processIdentifier, SIGKILL)
                try await victim.waitForEnd()
                try await survivor.waitForEnd()
                #expect(victim.process.terminationReason == .uncaughtSignal)
                #expect(survivor.process.terminationStatus == 0)

                let victimAcknowledged = victim.acknowledged
                #expect(victimAcknowledged.count >= 40 && victimAcknowledged.count < count)
                #expect(survivor.acknowledged.count == count)
                for (prefix, acknowledged) in [("victim", victimAcknowledged), ("survivor", survivor.acknowledged)] {
                    for (n, sequence) in acknowledged {
                        let record = try await store.record(for: RecordKey(collection: "probe", id: "\(prefix)-\(n)"))
                        #expect(record?.sequence == sequence, "\(prefix)-\(n) acknowledged at \(sequence)")
                    }
                }
                // The victim's records form a prefix 0..<k: nothing after a missing one, nothing half there.
                let feed = try await store.changes(after: 0, limit: 10_000)
                let victimIDs = feed.flatMap(\.puts).map(\.key.id).filter { $0.hasPrefix("victim-") }
                #expect(victimIDs == (0..<victimIDs.count).map { "victim-\($0)" })
                #expect(victimIDs.count >= victimAcknowledged.count && victimIDs.count <= victimAcknowledged.count + 1)
                #expect(feed.map(\.sequence) == Array(1...UInt64(feed.count)))
            }
        }
    }

    /// A running `PostgresProbe`, its acknowledged commits read from its standard output as they come.
    final class ProbeProcess: Sendable {
        let process: Process
        private let lines = LockedValue<
            (partial: [UInt8], acknowledged: [Int: UInt64], sending: [String], ended: Bool)
        >(
            ([], [:], [], false))

        init(_ arguments: [String]) throws {
            process = Process()
            process.executableURL = try Self.executable()
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            output.fileHandleForReading.readabilityHandler = { [self] handle in self.consume(handle) }
        }

        private func consume(_ handle: FileHandle) {
            let data = handle.availableData
            lines.withLock { state in
                state.partial.append(contentsOf: data)
                while let newline = state.partial.firstIndex(of: UInt8(ascii: "\n")) {
                    let fields = String(decoding: state.partial[..<newline], as: UTF8.self).split(separator: " ")
                    state.partial.removeSubrange(...newline)
                    if fields.count == 2, let n = Int(fields[0]), let sequence = UInt64(fields[1]) {
                        state.acknowledged[n] = sequence
                    } else if fields.count == 2, fields[0] == "sending" {
                        state.sending.append(String(fields[1]))
                    } else {
                        state.sending.append(fields.joined(separator: " "))
                    }
                }
                if data.isEmpty { state.ended = true }
            }
            if data.isEmpty { handle.readabilityHandler = nil }
        }

        /// Waits until the probe has exited and all its output has been read.
        func waitForEnd() async throws {
            process.waitUntilExit()
            var polls = 0
            while !lines.withLock({ $0.ended }) && polls < 1_000 {
                try await Task.sleep(for: .milliseconds(10))
                polls += 1
            }
        }

        /// The Message-IDs a dispatching probe has started to send so far (and, for a submitting
        /// probe, its outcome lines).
        var sending: [String] { lines.withLock { $0.sending } }

        /// The commits the probe has acknowledged so far: record number → sequence.
        var acknowledged: [Int: UInt64] { lines.withLock { $0.acknowledged } }

        /// The probe executable, built beside the test bundle.
        static func executable() throws -> URL {
            let directories = [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            ]
            for directory in directories {
                let candidate = directory.appendingPathComponent("PostgresProbe")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
            throw CocoaError(.fileNoSuchFile)
        }
    }
#endif
