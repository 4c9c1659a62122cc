#if PostgreSQL
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikStorage
    import Foundation
    import Testing

    /// Range reads with a bound holding U+0000 ("just after a value", as the outbox dispatcher pages),
    /// which PostgreSQL's text cannot hold.
    @Suite("PostgreSQL range bounds", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresRangeBoundTests {
        @Test(
            "a bound ending in U+0000 reads what the in-memory store reads",
            arguments: [("", "~"), ("a\u{0}", "~"), ("a", "c\u{0}"), ("a\u{0}", "c"), ("b\u{0}x", "c\u{0}y")])
        func nulBounds(lower: String, upper: String) async throws {
            try await PostgresTestServer.withFreshStore { store, _ in
                let reference = InMemoryRecordStore()
                for value in ["a", "b", "c", "cc", "d"] {
                    let put = Mutation.put(
                        RecordKey(collection: "item", id: value), value: Data(value.utf8),
                        indexes: [.nonUnique("item.name", value)], expecting: .mustNotExist)
                    _ = try await store.commit([put])
                    _ = try await reference.commit([put])
                }
                let read = try await store.records(in: "item.name", from: lower, to: upper, limit: 10).map(\.key.id)
                let expected = try await reference.records(in: "item.name", from: lower, to: upper, limit: 10)
                    .map(\.key.id)
                #expect(read == expected)
            }
        }
    }
#endif
