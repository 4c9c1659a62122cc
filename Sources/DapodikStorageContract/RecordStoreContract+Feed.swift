import DapodikStorage

extension RecordStoreContract {
    static let feedChecks: [Check] = [changeFeed]

    static let changeFeed = Check("the change feed lists commits in order with their puts and deletes") { subject in
        let store = subject.store
        try await store.commit([
            .put(key("b", "2"), value: bytes("b2"), indexes: [.nonUnique("n", "1")], expecting: .mustNotExist),
            .put(key("a", "1"), value: bytes("a1"), expecting: .mustNotExist),
        ])
        try await store.commit([
            .delete(key("b", "2"), expecting: .version(1)),
            .put(key("a", "1"), value: bytes("a1'"), expecting: .version(1)),
        ])
        try await store.commit(.put(key("c", "3"), value: bytes("c3"), expecting: .mustNotExist))

        let all = try await store.changes(after: 0, limit: 10)
        try expectEqual(all.map(\.sequence), [1, 2, 3], "sequences of the feed")
        try expectEqual(all[0].puts.map(\.key), [key("a", "1"), key("b", "2")], "puts of a batch, in key order")
        try expectEqual(all[0].puts[1].indexes, [.nonUnique("n", "1")], "indexes of a put in the feed")
        try expect(all[0].deletes.isEmpty, "a batch of puts has no deletes")
        try expectEqual(all[1].deletes, [key("b", "2")], "deletes of a batch")
        try expectEqual(all[1].puts.map { text($0) }, ["a1'"], "values of a batch")
        try expectEqual(all[1].puts[0].version, 2, "version of a put in the feed")
        try expectEqual(try await store.changes(after: 1, limit: 1).map(\.sequence), [2], "feed under a limit")
        try expect(try await store.changes(after: 3, limit: 10).isEmpty, "feed after the last commit")
        try expect(try await store.changes(after: 0, limit: 0).isEmpty, "feed with limit 0")
    }

    static let changeFeedAcrossCompaction = Check(
        "after compaction, every live record stays in the feed at the sequence of its last write"
    ) { subject in
        let store = subject.store
        let compact = try unwrap(subject.compact, "the subject's compaction")
        let event = key("event", "e1")
        try await store.commit(.put(event, value: bytes("created"), expecting: .mustNotExist))
        try await store.commit(.put(account, value: bytes("v1"), expecting: .mustNotExist))
        try await store.commit(.put(account, value: bytes("v2"), expecting: .version(1)))
        try await store.commit(.put(key("tmp", "t"), value: bytes("t"), expecting: .mustNotExist))
        try await store.commit(.delete(key("tmp", "t"), expecting: .version(1)))
        try await compact()
        try await store.commit(.put(key("event", "e2"), value: bytes("later"), expecting: .mustNotExist))

        let feed = try await store.changes(after: 0, limit: 100)
        try expectEqual(feed.map(\.sequence), [1, 3, 6], "sequences after compaction")
        try expectEqual(feed[0].puts.map(\.key), [event], "a write-once record after compaction")
        try expectEqual(text(feed[0].puts[0]), "created", "value of a write-once record after compaction")
        try expectEqual(text(feed[1].puts[0]), "v2", "last value of an overwritten record after compaction")
        try expectEqual(try await store.changes(after: 1, limit: 1).map(\.sequence), [3], "feed under a limit")
        try expectEqual(try await store.changes(after: 3, limit: 10).map(\.sequence), [6], "feed after a gap")
        try expectEqual(text(try await store.record(for: account)), "v2", "record after compaction")
        try expectEqual(
            try await store.commit(.put(account, value: bytes("v3"), expecting: .version(2))), 7,
            "sequence after compaction")
        try await compact()
        try expectEqual(
            try await store.changes(after: 0, limit: 100).map(\.sequence), [1, 6, 7], "sequences after two compactions")
    }
}
