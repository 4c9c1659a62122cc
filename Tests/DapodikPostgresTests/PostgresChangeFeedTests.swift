#if PostgreSQL
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikStorage
    import Foundation
    import Testing

    /// The change feed under concurrent writers, read by a tailing reader, as the sync feed reads it.
    @Suite("PostgreSQL change feed", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresChangeFeedTests {
        @Test("a reader tailing the feed while 8 writers commit never skips a commit and sees each once")
        func tailingReaderNeverSkips() async throws {
            try await PostgresTestServer.withFreshStore { store, _ in
                let writers = 8
                let commitsPerWriter = 40
                let total = writers * commitsPerWriter
                let seen = try await withThrowingTaskGroup(of: [UInt64].self) { group in
                    for writer in 0..<writers {
                        group.addTask {
                            for n in 0..<commitsPerWriter {
                                // Batches of different sizes, so commits take different times.
                                let size = 1 + (n + writer) % 4
                                try await store.commit(
                                    (0..<size).map { part in
                                        .put(
                                            RecordKey(collection: "event", id: "w\(writer)-\(n)-\(part)"),
                                            value: Data("\(writer)".utf8),
                                            indexes: [.nonUnique("event.writer", "\(writer)")],
                                            expecting: .mustNotExist)
                                    })
                            }
                            return []
                        }
                    }
                    group.addTask {
                        var cursor: UInt64 = 0
                        var sequences: [UInt64] = []
                        // Until the last commit is seen: a skipped one shows as a missing number below.
                        while cursor < UInt64(total) {
                            for batch in try await store.changes(after: cursor, limit: 7) {
                                sequences.append(batch.sequence)
                                cursor = batch.sequence
                            }
                        }
                        return sequences
                    }
                    var seen: [UInt64] = []
                    for try await result in group where !result.isEmpty { seen = result }
                    return seen
                }
                // Without compaction every commit is in the feed: a tailing reader that advanced its
                // cursor past a commit that was not yet visible would show a missing number here.
                #expect(seen == Array(1...UInt64(total)))
                let feed = try await store.changes(after: 0, limit: total + 10)
                #expect(feed.map(\.sequence) == Array(1...UInt64(total)))
                var written = 0
                for writer in 0..<writers {
                    for n in 0..<commitsPerWriter { written += 1 + (n + writer) % 4 }
                }
                let putsInFeed = feed.reduce(0) { $0 + $1.puts.count }
                #expect(putsInFeed == written)
            }
        }

        @Test("a commit that changes nothing still takes its sequence and shows as an empty batch")
        func emptyCommit() async throws {
            try await PostgresTestServer.withFreshStore { store, _ in
                let key = RecordKey(collection: "tmp", id: "missing")
                let sequence = try await store.commit(.delete(key, expecting: .any))
                let feed = try await store.changes(after: 0)
                #expect(sequence == 1)
                #expect(feed == [ChangeBatch(sequence: 1, puts: [], deletes: [])])
            }
        }
    }
#endif
