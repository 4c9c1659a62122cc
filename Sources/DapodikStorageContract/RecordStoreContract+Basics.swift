import DapodikStorage

extension RecordStoreContract {
    static let account = key("account", "a1")

    static let basicChecks: [Check] = [versionsAndSequences, conflictsChangeNothing, deletes]

    static let versionsAndSequences = Check(
        "a put creates version 1, each later put adds one, and sequences grow by one"
    ) { subject in
        let store = subject.store
        try expectEqual(try await store.record(for: account), nil, "record before any commit")
        let first = try await store.commit(.put(account, value: bytes("v1"), expecting: .mustNotExist))
        let second = try await store.commit(.put(account, value: bytes("v2"), expecting: .version(1)))
        try expectEqual(first, 1, "sequence of the first commit")
        try expectEqual(second, 2, "sequence of the second commit")
        let record = try unwrap(try await store.record(for: account), "record after two puts")
        try expectEqual(record.version, 2, "version after two puts")
        try expectEqual(record.sequence, 2, "sequence of the record after two puts")
        try expectEqual(text(record), "v2", "value after two puts")
    }

    static let conflictsChangeNothing = Check("a failed expectation names the key and changes nothing") { subject in
        let store = subject.store
        try await store.commit(.put(account, value: bytes("v1"), expecting: .mustNotExist))
        let other = key("account", "a2")

        let exists = try await expectStoreError("insert of an existing key") {
            try await store.commit([
                .put(other, value: bytes("x"), expecting: .mustNotExist),
                .put(account, value: bytes("again"), expecting: .mustNotExist),
            ])
        }
        try expectEqual(exists.code, .alreadyExists, "code of an insert of an existing key")
        try expectEqual(exists.key, account, "key named by alreadyExists")
        try expect(exists.isConflict, "alreadyExists is a conflict")

        let stale = try await expectStoreError("put with a stale version") {
            try await store.commit([
                .put(other, value: bytes("x"), expecting: .any),
                .put(account, value: bytes("v2"), expecting: .version(7)),
            ])
        }
        try expectEqual(stale.code, .versionMismatch, "code of a stale version")
        try expectEqual(stale.key, account, "key named by versionMismatch")
        try expectEqual(stale.expectedVersion, 7, "expected version named by versionMismatch")
        try expectEqual(stale.actualVersion, 1, "actual version named by versionMismatch")

        let missing = try await expectStoreError("put expecting a version of a missing key") {
            try await store.commit(.put(other, value: bytes("x"), expecting: .version(1)))
        }
        try expectEqual(missing.code, .versionMismatch, "code for a missing key under .version")
        try expectEqual(missing.actualVersion, nil, "actual version of a missing key")

        // The largest version a caller can name is a conflict too, whatever the store keeps versions in.
        let huge = try await expectStoreError("put expecting version UInt64.max") {
            try await store.commit(.put(account, value: bytes("x"), expecting: .version(.max)))
        }
        try expectEqual(huge.code, .versionMismatch, "code for an expected version of UInt64.max")
        try expectEqual(huge.expectedVersion, .max, "expected version named for UInt64.max")
        try expectEqual(huge.actualVersion, 1, "actual version named for UInt64.max")

        try expectEqual(try await store.record(for: other), nil, "record written by a failed batch")
        try expectEqual(text(try await store.record(for: account)), "v1", "value after failed batches")
        try expectEqual(try await store.changes(after: 0).map(\.sequence), [1], "feed after failed batches")
        try expectEqual(
            try await store.commit(.put(other, value: bytes("x"), expecting: .mustNotExist)), 2,
            "sequence after failed batches")
    }

    static let deletes = Check("deletes: conditional, and a missing key under .any is not an error") { subject in
        let store = subject.store
        try await store.commit(.put(account, value: bytes("1"), expecting: .mustNotExist))
        let stale = try await expectStoreError("delete with a stale version") {
            try await store.commit(.delete(account, expecting: .version(2)))
        }
        try expectEqual(stale.code, .versionMismatch, "code of a delete with a stale version")
        try await store.commit(.delete(account, expecting: .version(1)))
        try expectEqual(try await store.record(for: account), nil, "record after its delete")
        try await store.commit(.delete(account, expecting: .any))
        let gone = try await expectStoreError("delete of a missing key under .version") {
            try await store.commit(.delete(account, expecting: .version(1)))
        }
        try expectEqual(gone.code, .versionMismatch, "code of a delete of a missing key under .version")
        try await store.commit(.put(account, value: bytes("again"), expecting: .mustNotExist))
        try expectEqual(try await store.record(for: account)?.version, 1, "version of a re-created record")
    }
}
