import DapodikStorage

extension RecordStoreContract {
    static let indexChecks: [Check] = [
        uniqueIndexes, nonUniqueIndexes, canonicallyEquivalentStrings, canonicallyEquivalentNames,
    ]

    static let uniqueIndexes = Check("a unique index value belongs to one record; a batch may move or swap it") {
        subject in
        let store = subject.store
        let other = key("account", "a2")
        func email(_ value: String) -> [IndexEntry] { [.unique("account.email", value)] }
        try await store.commit(.put(account, value: bytes("1"), indexes: email("a@x.id"), expecting: .mustNotExist))

        let taken = try await expectStoreError("a unique value taken by another record") {
            try await store.commit(.put(other, value: bytes("2"), indexes: email("a@x.id"), expecting: .mustNotExist))
        }
        try expectEqual(taken.code, .uniqueConstraint, "code of a taken unique value")
        try expectEqual(taken.key, other, "key named by uniqueConstraint")
        try expectEqual(taken.holder, account, "holder named by uniqueConstraint")
        try expectEqual(taken.index, "account.email", "index named by uniqueConstraint")
        try expectEqual(try await store.record(for: other), nil, "record of a batch refused for a unique value")

        let twice = try await expectStoreError("one unique value claimed twice in a batch") {
            try await store.commit([
                .put(other, value: bytes("2"), indexes: email("b@x.id"), expecting: .mustNotExist),
                .put(key("account", "a3"), value: bytes("3"), indexes: email("b@x.id"), expecting: .mustNotExist),
            ])
        }
        try expectEqual(twice.code, .uniqueConstraint, "code of a unique value claimed twice in a batch")

        try await store.commit(.put(other, value: bytes("2"), indexes: email("b@x.id"), expecting: .mustNotExist))
        try await store.commit([
            .put(account, value: bytes("1"), indexes: email("b@x.id"), expecting: .version(1)),
            .put(other, value: bytes("2"), indexes: email("a@x.id"), expecting: .version(1)),
        ])
        try expectEqual(
            try await store.record(whereUnique: "account.email", equals: "a@x.id")?.key, other, "holder after a swap")
        try expectEqual(
            try await store.record(whereUnique: "account.email", equals: "b@x.id")?.key, account, "holder after a swap")

        try await store.commit(.put(account, value: bytes("1"), indexes: email("c@x.id"), expecting: .version(2)))
        try expectEqual(
            try await store.record(whereUnique: "account.email", equals: "b@x.id"), nil, "a released unique value")
        try await store.commit(.delete(other, expecting: .version(2)))
        try expectEqual(
            try await store.record(whereUnique: "account.email", equals: "a@x.id"), nil,
            "a unique value of a deleted record")
        try await store.commit(
            .put(key("account", "a4"), value: bytes("4"), indexes: email("a@x.id"), expecting: .mustNotExist))
        try expectEqual(
            try await store.record(whereUnique: "account.email", equals: "a@x.id")?.key, key("account", "a4"),
            "holder of a value taken again")
        try expect(
            try await store.records(where: "account.email", equals: "a@x.id").isEmpty,
            "a unique entry must not be found as a non-unique one")
    }

    static let nonUniqueIndexes = Check(
        "non-unique indexes list by equality in key order and by half-open range in value order"
    ) { subject in
        let store = subject.store
        let rows: [(String, String, String)] = [
            ("m3", "20100101", "0003"), ("m1", "20100101", "0001"), ("m2", "20100102", "0001"),
            ("m4", "20100101", "0005"), ("m5", "20100103", "0002"),
        ]
        try await store.commit(
            rows.map { id, school, due in
                .put(
                    key("outbox", id), value: bytes(id),
                    indexes: [.nonUnique("account.school", school), .nonUnique("outbox.due", due + "|" + id)],
                    expecting: .mustNotExist)
            })
        try expectEqual(
            try await store.records(where: "account.school", equals: "20100101").map(\.key.id), ["m1", "m3", "m4"],
            "records by equality")
        try expect(
            try await store.records(where: "account.school", equals: "99999999").isEmpty,
            "records of a value nobody holds")
        try expectEqual(
            try await store.records(in: "outbox.due", from: "", to: "0004", limit: 10).map(\.key.id),
            ["m1", "m2", "m5", "m3"], "records by range")
        try expectEqual(
            try await store.records(in: "outbox.due", from: "0001|m2", to: "0003|m3", limit: 10).map(\.key.id),
            ["m2", "m5"], "records of a half-open range")
        try expectEqual(
            try await store.records(in: "outbox.due", from: "", to: "9", limit: 2).map(\.key.id), ["m1", "m2"],
            "records of a range under a limit")
        try expect(
            try await store.records(in: "outbox.due", from: "9", to: "0", limit: 10).isEmpty,
            "records of an empty range")
        try expect(
            try await store.records(in: "nothing", from: "", to: "9", limit: 10).isEmpty,
            "records of an unknown index")

        try await store.commit([
            .delete(key("outbox", "m1"), expecting: .version(1)),
            .put(
                key("outbox", "m2"), value: bytes("m2"), indexes: [.nonUnique("outbox.due", "0009|m2")],
                expecting: .version(1)),
        ])
        try expectEqual(
            try await store.records(in: "outbox.due", from: "", to: "0004", limit: 10).map(\.key.id), ["m5", "m3"],
            "records by range after a delete and a move")
        try expect(
            try await store.records(where: "account.school", equals: "20100102").isEmpty,
            "a non-unique entry dropped by a put")
        let error = try await expectStoreError("a negative limit") {
            _ = try await store.records(in: "outbox.due", from: "", to: "9", limit: -1)
        }
        try expectEqual(error.code, .invalidInput, "code of a negative limit")
    }

    /// "café" with "é" as one code point (NFC) and as "e" plus a combining acute accent (NFD): equal as
    /// Swift strings, different bytes.
    private static let composedCafe = "caf\u{E9}"
    private static let decomposedCafe = "cafe\u{301}"

    static let canonicallyEquivalentStrings = Check(
        "keys and index values are compared by their bytes: canonically equivalent spellings are different"
    ) { subject in
        let store = subject.store
        let (composed, decomposed) = (composedCafe, decomposedCafe)
        let first = key("account", composed)
        let second = key("account", decomposed)
        try await store.commit(
            .put(
                first, value: bytes("1"),
                indexes: [.unique("account.email", composed), .nonUnique("account.school", composed)],
                expecting: .mustNotExist))
        try await store.commit(
            .put(
                second, value: bytes("2"),
                indexes: [.unique("account.email", decomposed), .nonUnique("account.school", decomposed)],
                expecting: .mustNotExist))
        try expectEqual(try await store.record(for: first)?.value, bytes("1"), "the composed key's record")
        try expectEqual(try await store.record(for: second)?.value, bytes("2"), "the decomposed key's record")
        try expectEqual(
            try await store.record(whereUnique: "account.email", equals: decomposed)?.key.id.utf8.elementsEqual(
                decomposed.utf8), true, "holder of the decomposed unique value")
        try expectEqual(
            try await store.records(where: "account.school", equals: composed).map { Array($0.key.id.utf8) },
            [Array(composed.utf8)], "records of the composed non-unique value")
        // UTF-8 order: "cafe\u{301}" (0x65 …) sorts before "caf\u{E9}" (0xC3 0xA9).
        try expectEqual(
            try await store.records(in: "account.school", from: "", to: "z", limit: 10).map { Array($0.key.id.utf8) },
            [Array(decomposed.utf8), Array(composed.utf8)], "records of both values by range, in byte order")

        try await store.commit(.delete(first, expecting: .version(1)))
        try expectEqual(
            try await store.records(in: "account.school", from: "", to: "z", limit: 10).map { Array($0.key.id.utf8) },
            [Array(decomposed.utf8)], "records by range after the composed one is deleted")
        try expectEqual(
            try await store.record(whereUnique: "account.email", equals: composed), nil,
            "the released composed unique value")
        try expectEqual(try await store.record(for: second)?.version, 1, "the decomposed record after the delete")
    }

    static let canonicallyEquivalentNames = Check(
        "collection and index names are compared by their bytes: canonically equivalent spellings are different names"
    ) { subject in
        let store = subject.store
        let (composed, decomposed) = (composedCafe, decomposedCafe)
        // One batch: a record in each collection, each with a unique and a non-unique index named in its
        // spelling, holding the same values.
        try await store.commit(
            [(composed, "1"), (decomposed, "2")].map { spelling, value in
                .put(
                    key(spelling, "r"), value: bytes(value),
                    indexes: [.unique("u." + spelling, "v"), .nonUnique("n." + spelling, "v")],
                    expecting: .mustNotExist)
            })
        for (spelling, value) in [(composed, "1"), (decomposed, "2")] {
            let bytesOfName = Array(spelling.utf8)
            try expectEqual(
                try await store.record(for: key(spelling, "r"))?.value, bytes(value),
                "the record of collection \(value)")
            try expectEqual(
                try await store.record(whereUnique: "u." + spelling, equals: "v").map { Array($0.key.collection.utf8) },
                bytesOfName, "the holder of unique index \(value)")
            try expectEqual(
                try await store.records(where: "n." + spelling, equals: "v").map { Array($0.key.collection.utf8) },
                [bytesOfName], "the records of non-unique index \(value)")
            try expectEqual(
                try await store.records(in: "n." + spelling, from: "", to: "z", limit: 10).map {
                    Array($0.key.collection.utf8)
                }, [bytesOfName], "the range of non-unique index \(value)")
        }
        // Two entries whose names are equal only canonically are two indexes, so one record may hold both.
        try await store.commit(
            .put(
                key("account", "both"), value: bytes("3"),
                indexes: [.nonUnique("n." + composed, "w"), .nonUnique("n." + decomposed, "w")],
                expecting: .mustNotExist))
        for spelling in [composed, decomposed] {
            try expectEqual(
                try await store.records(where: "n." + spelling, equals: "w").map(\.key.id), ["both"],
                "a record holding both spellings of an index name")
        }
    }
}
