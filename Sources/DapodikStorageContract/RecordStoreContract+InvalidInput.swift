import DapodikLanguage
import DapodikStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension RecordStoreContract {
    static let invalidBatches: [(String, [Mutation])] = [
        ("an empty batch", []),
        ("a key twice", [.delete(key("a", "1"), expecting: .any), .delete(key("a", "1"), expecting: .any)]),
        ("an empty collection", [.delete(key("", "1"), expecting: .any)]),
        ("an empty id", [.delete(key("a", ""), expecting: .any)]),
        ("an id too long", [.delete(key("a", String(repeating: "x", count: 1025)), expecting: .any)]),
        ("a collection too long", [.delete(key(String(repeating: "c", count: 256), "1"), expecting: .any)]),
        (
            "an index name twice",
            [.put(key("a", "1"), value: Data(), indexes: [.unique("i", "1"), .nonUnique("i", "2")], expecting: .any)]
        ),
        ("an empty index name", [.put(key("a", "1"), value: Data(), indexes: [.unique("", "1")], expecting: .any)]),
        (
            "an index value too long",
            [
                .put(
                    key("a", "1"), value: Data(), indexes: [.unique("i", String(repeating: "v", count: 1025))],
                    expecting: .any)
            ]
        ),
        (
            "too many indexes",
            [.put(key("a", "1"), value: Data(), indexes: (0..<33).map { .nonUnique("i\($0)", "v") }, expecting: .any)]
        ),
        ("a value too large", [.put(key("a", "1"), value: Data(count: (16 << 20) + 1), expecting: .any)]),
        ("a NUL in an id", [.delete(key("a", "1\u{0}2"), expecting: .any)]),
        ("a NUL in a collection", [.delete(key("a\u{0}", "1"), expecting: .any)]),
        (
            "a NUL in an index name",
            [.put(key("a", "1"), value: Data(), indexes: [.unique("i\u{0}", "1")], expecting: .any)]
        ),
        (
            "a NUL in an index value",
            [.put(key("a", "1"), value: Data(), indexes: [.nonUnique("i", "x\u{0}y")], expecting: .any)]
        ),
        // Longer than a string kept inline (15 bytes), and at the very end.
        ("a NUL ending a long id", [.delete(key("a", String(repeating: "é", count: 40) + "\u{0}"), expecting: .any)]),
        (
            "a NUL ending a long index value",
            [
                .put(
                    key("a", "1"), value: Data(),
                    indexes: [.nonUnique("i", String(repeating: "v", count: 100) + "\u{0}")], expecting: .any)
            ]
        ),
    ]

    static let invalidInputChecks: [Check] =
        invalidBatches.map { name, batch in
            Check("bad input is refused with invalidInput and changes nothing: \(name)") { subject in
                let store = subject.store
                let error = try await expectStoreError(name) { try await store.commit(batch) }
                try expectEqual(error.code, .invalidInput, "code for \(name)")
                try expect(!error.isConflict, "\(name) must not be a conflict")
                try expect(!error.message(in: .english).isEmpty, "the message for \(name) must not be empty")
                try expect(try await store.changes(after: 0).isEmpty, "the feed after \(name) must be empty")
            }
        } + [
            Check("a read for a key or an index value holding U+0000 finds nothing, and is no error") { subject in
                let store = subject.store
                try await store.commit(
                    .put(key("a", "1"), value: Data(), indexes: [.unique("u", "1")], expecting: .any))
                try expectEqual(try await store.record(for: key("a", "1\u{0}")), nil, "record for a NUL id")
                try expectEqual(try await store.record(whereUnique: "u", equals: "1\u{0}"), nil, "unique NUL value")
                try expectEqual(try await store.records(where: "u\u{0}", equals: "1").count, 0, "NUL index name")
            }
        ]
}
