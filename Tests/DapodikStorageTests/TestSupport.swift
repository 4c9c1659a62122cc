import DapodikStorage
import DapodikTestSupport
import Foundation
import Testing

/// A store that can also compact its history (both built-in stores can).
protocol CompactingStore: RecordStore {
    func compact() async throws
}

extension InMemoryRecordStore: CompactingStore {}
extension FileRecordStore: CompactingStore {}

extension TemporaryDirectory {
    /// A path for a store inside the directory (not created yet).
    var store: URL { url.appendingPathComponent("store", isDirectory: true) }
}

/// How to make a store of one kind, for the parameterized contract suite.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (TemporaryDirectory) throws -> any CompactingStore

    var testDescription: String { name }

    static let inMemory = StoreFactory(name: "in-memory") { _ in InMemoryRecordStore() }
    static let file = StoreFactory(name: "file") { scratch in try FileRecordStore(directory: scratch.store) }
    static let all: [StoreFactory] = [.inMemory, .file]
}

func key(_ collection: String, _ id: String) -> RecordKey { RecordKey(collection: collection, id: id) }

func bytes(_ text: String) -> Data { Data(text.utf8) }

func text(_ record: Record?) -> String? { record.map { String(decoding: $0.value, as: UTF8.self) } }
