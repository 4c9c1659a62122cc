// INTERIM: stand-in for DapodikStorage (issue 3) until the storage branch lands on main.
// Shape copied from /work/prompts/storage.md; delete this file when `RecordStore` exists below.
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Synchronization

public struct RecordKey: Hashable, Sendable, Codable, Comparable {
    public var collection: String
    public var id: String
    public init(_ collection: String, _ id: String) {
        self.collection = collection
        self.id = id
    }
    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        (lhs.collection, lhs.id) < (rhs.collection, rhs.id)
    }
}

public struct IndexEntry: Hashable, Sendable, Codable {
    public var name: String
    public var value: String
    public var isUnique: Bool
    public init(name: String, value: String, isUnique: Bool) {
        self.name = name
        self.value = value
        self.isUnique = isUnique
    }
}

public struct Record: Sendable, Hashable {
    public var key: RecordKey
    public var version: UInt64
    public var value: Data
    public var indexes: [IndexEntry]
    public var sequence: UInt64
}

public enum Expectation: Sendable, Hashable {
    case any
    case mustNotExist
    case version(UInt64)
}

public struct Mutation: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case put(value: Data, indexes: [IndexEntry])
        case delete
    }
    public var key: RecordKey
    public var kind: Kind
    public var expectation: Expectation
    public static func put(
        _ key: RecordKey, value: Data, indexes: [IndexEntry] = [], expecting: Expectation = .any
    ) -> Mutation {
        Mutation(key: key, kind: .put(value: value, indexes: indexes), expectation: expecting)
    }
    public static func delete(_ key: RecordKey, expecting: Expectation = .any) -> Mutation {
        Mutation(key: key, kind: .delete, expectation: expecting)
    }
}

public struct ChangeBatch: Sendable, Hashable {
    public var sequence: UInt64
    public var puts: [Record]
    public var deletedKeys: [RecordKey]
}

public struct StoreError: LocalizedFailure, Hashable {
    public struct Code: Hashable, Sendable {
        public let rawValue: String
        public static let versionMismatch = Code(rawValue: "versionMismatch")
        public static let alreadyExists = Code(rawValue: "alreadyExists")
        public static let uniqueIndexTaken = Code(rawValue: "uniqueIndexTaken")
        public static let invalidInput = Code(rawValue: "invalidInput")
    }
    public let code: Code
    public var message: LocalizedText { LocalizedText(indonesian: code.rawValue, english: code.rawValue) }
}

public protocol RecordStore: Sendable {
    func record(for key: RecordKey) async throws -> Record?
    func record(whereUnique index: String, equals value: String) async throws -> Record?
    func records(where index: String, equals value: String) async throws -> [Record]
    func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record]
    @discardableResult func commit(_ mutations: [Mutation]) async throws -> UInt64
    func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch]
}

public final class InMemoryRecordStore: RecordStore {
    private struct State {
        var records: [RecordKey: Record] = [:]
        var unique: [String: [String: RecordKey]] = [:]
        var log: [ChangeBatch] = []
        var sequence: UInt64 = 0
    }
    private let state = Mutex(State())
    public init() {}

    public func record(for key: RecordKey) async throws -> Record? { state.withLock { $0.records[key] } }
    public func record(whereUnique index: String, equals value: String) async throws -> Record? {
        state.withLock { state in state.unique[index]?[value].flatMap { state.records[$0] } }
    }
    public func records(where index: String, equals value: String) async throws -> [Record] {
        state.withLock { state in
            state.records.values.filter { $0.indexes.contains { $0.name == index && $0.value == value } }
                .sorted { $0.key < $1.key }
        }
    }
    public func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
        state.withLock { state in
            var hits: [(String, Record)] = []
            for record in state.records.values {
                for entry in record.indexes where entry.name == index && entry.value >= lower && entry.value <= upper {
                    hits.append((entry.value, record))
                }
            }
            return hits.sorted { ($0.0, $0.1.key) < ($1.0, $1.1.key) }.prefix(limit).map(\.1)
        }
    }
    public func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        try state.withLock { state throws(StoreError) in
            for mutation in mutations {
                let existing = state.records[mutation.key]
                switch mutation.expectation {
                case .any: break
                case .mustNotExist: if existing != nil { throw StoreError(code: .alreadyExists) }
                case .version(let version):
                    if existing?.version != version { throw StoreError(code: .versionMismatch) }
                }
                if case .put(_, let indexes) = mutation.kind {
                    for entry in indexes where entry.isUnique {
                        if let owner = state.unique[entry.name]?[entry.value], owner != mutation.key,
                            !mutations.contains(where: { $0.key == owner && $0.kind == .delete })
                        {
                            throw StoreError(code: .uniqueIndexTaken)
                        }
                    }
                }
            }
            state.sequence += 1
            var batch = ChangeBatch(sequence: state.sequence, puts: [], deletedKeys: [])
            for mutation in mutations {
                if let old = state.records[mutation.key] {
                    for entry in old.indexes where entry.isUnique { state.unique[entry.name]?[entry.value] = nil }
                }
                switch mutation.kind {
                case .delete:
                    state.records[mutation.key] = nil
                    batch.deletedKeys.append(mutation.key)
                case .put(let value, let indexes):
                    let record = Record(
                        key: mutation.key, version: (state.records[mutation.key]?.version ?? 0) + 1, value: value,
                        indexes: indexes, sequence: state.sequence)
                    state.records[mutation.key] = record
                    for entry in indexes where entry.isUnique {
                        state.unique[entry.name, default: [:]][entry.value] = mutation.key
                    }
                    batch.puts.append(record)
                }
            }
            state.log.append(batch)
            return state.sequence
        }
    }
    public func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        state.withLock { Array($0.log.filter { $0.sequence > sequence }.prefix(limit)) }
    }
}
