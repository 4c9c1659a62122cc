#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A value the service keeps in the ``RecordStore``: the one place that says where it lives
/// (``collection``), which secondary index entries it carries, and how it becomes bytes and back.
///
/// Each stored type conforms once, in `StoredRecord+Conformances.swift`; call sites name typed
/// keys (``StoredKey``) and indexes (``StoredIndex``), never strings. The core is here; the
/// conveniences (``Batch/put(_:replacing:)``, the typed loads on ``RecordStore``) live in
/// extensions, as in hummingbird's `PersistDriver`.
///
/// Collection names, index names and the encoding are part of every existing data directory:
/// changing one makes stored records unreadable or invisible to their index.
protocol StoredRecord: Codable {
    /// The collection every record of this type is stored in.
    static var collection: String { get }
    /// The secondary index entries of this value, recomputed on every put (so an entry disappears
    /// once the value no longer qualifies, an outbox message's due time once it is done, say).
    var indexEntries: [IndexEntry] { get }
    /// The stored document of this value.
    func encodedRecord() throws -> Data
    /// Decodes a stored document that the store holds at `version`.
    static func decodedRecord(_ data: Data, version: UInt64) throws -> Self
}

extension StoredRecord {
    var indexEntries: [IndexEntry] { [] }

    /// One JSON document with sorted keys and dates as seconds since 1970 (``RecordCoding``).
    func encodedRecord() throws -> Data { try RecordCoding.encode(self) }

    static func decodedRecord(_ data: Data, version: UInt64) throws -> Self {
        try RecordCoding.decode(Self.self, from: data)
    }
}

/// A stored record that names its own key (an account its id, an outbox message its UUID).
protocol SelfKeyedRecord: StoredRecord {
    /// Where this value is stored.
    var storedKey: StoredKey<Self> { get }
}

/// Where one record of `Value` lives: its collection comes from the type, only the id varies.
struct StoredKey<Value: StoredRecord>: Hashable {
    /// The record's id within ``StoredRecord/collection``.
    let id: String

    init(_ id: String) { self.id = id }

    /// The untyped key the store speaks.
    var recordKey: RecordKey { RecordKey(collection: Value.collection, id: id) }
}

/// A secondary index over records of `Value`.
struct StoredIndex<Value: StoredRecord>: Sendable {
    /// The index's name in the store.
    let name: String
    /// Whether the store keeps at most one record per value.
    let isUnique: Bool

    /// The entry that puts a record under `value` in this index.
    func entry(_ value: String) -> IndexEntry {
        isUnique ? .unique(name, value) : .nonUnique(name, value)
    }
}
