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

/// The last acknowledged sequence `LOCK` holds for the store in `directory` (bytes 8–15).
func acknowledgedSequence(in directory: URL) throws -> UInt64 {
    let lock = try Data(contentsOf: directory.appendingPathComponent("LOCK"))
    return lock.count < 16 ? 0 : lock[8..<16].reversed().reduce(0) { $0 << 8 | UInt64($1) }
}

/// Sets the last acknowledged sequence in the store's `LOCK`, as a power loss before a commit's sync
/// returned leaves it: the commits after `sequence` were never acknowledged, so losing them is a torn
/// tail, not damage. Tests that tear a log by hand call it first, since the commits they tear were
/// acknowledged when the test made them.
func setAcknowledgedSequence(_ sequence: UInt64, in directory: URL) throws {
    let handle = try FileHandle(forUpdating: directory.appendingPathComponent("LOCK"))
    defer { try? handle.close() }
    try handle.seek(toOffset: 8)
    try handle.write(contentsOf: withUnsafeBytes(of: sequence.littleEndian) { Data($0) })
}

/// Makes the change counter in the store's `LOCK` odd, as a process that died inside a change leaves it.
func makeChangeCounterOdd(in directory: URL) throws {
    let url = directory.appendingPathComponent("LOCK")
    let lock = try Data(contentsOf: url)
    let counter = lock[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    guard counter & 1 == 0 else { return }
    let handle = try FileHandle(forUpdating: url)
    defer { try? handle.close() }
    try handle.write(contentsOf: withUnsafeBytes(of: (counter + 1).littleEndian) { Data($0) })
}

/// Copies the store the previous release wrote (log format 2, an empty `LOCK`; `Fixtures/store-log-format2`)
/// to `directory`.
func copyFormat2Store(to directory: URL) throws {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/store-log-format2")
    try FileManager.default.copyItem(at: fixture, to: directory)
}
