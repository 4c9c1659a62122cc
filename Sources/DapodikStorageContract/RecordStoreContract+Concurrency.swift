import DapodikStorage

extension RecordStoreContract {
    static let concurrencyChecks: [Check] = [singleUse, concurrentSequences, sendable]

    static let singleUse = Check("many concurrent consumers of one single-use record: exactly one wins") { subject in
        let store = subject.store
        let code = key("challenge", "c1")
        try await store.commit(.put(code, value: bytes("unused"), expecting: .mustNotExist))
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for attempt in 0..<64 {
                group.addTask {
                    do {
                        try await store.commit([
                            .delete(code, expecting: .version(1)),
                            .put(key("event", "used-\(attempt)"), value: bytes("used"), expecting: .mustNotExist),
                        ])
                        return true
                    } catch let error as StoreError where error.code == .versionMismatch {
                        return false
                    }
                }
            }
            var wins = 0
            for try await won in group where won { wins += 1 }
            return wins
        }
        try expectEqual(wins, 1, "winners among concurrent consumers")
        try expectEqual(try await store.changes(after: 0).count, 2, "commits after concurrent consumers")
    }

    static let concurrentSequences = Check("concurrent commits get distinct, gapless sequences") { subject in
        let store = subject.store
        let sequences = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for n in 0..<100 {
                group.addTask {
                    try await store.commit(.put(key("item", "\(n)"), value: bytes("\(n)"), expecting: .mustNotExist))
                }
            }
            var all: [UInt64] = []
            for try await sequence in group { all.append(sequence) }
            return all
        }
        try expectEqual(sequences.sorted(), Array(1...100), "sequences of concurrent commits")
        let feed = try await store.changes(after: 0, limit: 1000)
        try expectEqual(feed.map(\.sequence), Array(1...100), "feed of concurrent commits")
    }

    static let sendable = Check("the store can be used from detached tasks (Sendable)") { subject in
        let store = subject.store
        let sequence = try await Task.detached {
            try await store.commit(.put(account, value: bytes("x"), expecting: .mustNotExist))
        }.value
        try expectEqual(sequence, 1, "sequence of a commit from a detached task")
        try expectEqual(
            try await Task.detached { try await store.record(for: account)?.version }.value, 1,
            "version read from a detached task")
    }
}
