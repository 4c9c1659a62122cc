import DapodikStorage
import Foundation
import Testing

/// A store that can also compact its history (both built-in stores can).
protocol CompactingStore: RecordStore {
    func compact() async throws
}

extension InMemoryRecordStore: CompactingStore {}
extension FileRecordStore: CompactingStore {}

/// A fresh, empty directory under the temporary directory, removed when the value goes away.
final class ScratchDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dapodik-storage-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path for a store inside the scratch directory (not created yet).
    var store: URL { url.appendingPathComponent("store", isDirectory: true) }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// How to make a store of one kind, for the parameterized contract suite.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (ScratchDirectory) throws -> any CompactingStore

    var testDescription: String { name }

    static let inMemory = StoreFactory(name: "in-memory") { _ in InMemoryRecordStore() }
    static let file = StoreFactory(name: "file") { scratch in try FileRecordStore(directory: scratch.store) }
    static let all: [StoreFactory] = [.inMemory, .file]
}

func key(_ collection: String, _ id: String) -> RecordKey { RecordKey(collection: collection, id: id) }

func bytes(_ text: String) -> Data { Data(text.utf8) }

func text(_ record: Record?) -> String? { record.map { String(decoding: $0.value, as: UTF8.self) } }

/// Runs `body` and returns the ``StoreError`` it threw (failing the test when it threw none).
func storeError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async
    -> StoreError?
{
    do {
        try await body()
        Issue.record("expected a StoreError", sourceLocation: sourceLocation)
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
