import DapodikStorage
import Foundation

/// The seed corpus of the store targets: images of real stores written by `FileRecordStore`, so the
/// fuzzer starts from valid files of the current format.
enum SeedStores {
    /// Writes one image per kind of store into `directory`.
    static func write(to directory: URL, scratch: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let work = scratch.appendingPathComponent("seeds", isDirectory: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let kinds: [(name: String, build: @Sendable (FileRecordStore) async throws -> Void)] = [
            ("empty", { _ in }),
            ("log-only", { try await fill($0, from: 1, to: 12) }),
            (
                "compacted",
                { store in
                    try await fill(store, from: 1, to: 12)
                    try await store.compact()
                }
            ),
            (
                "compacted-then-log",
                { store in
                    try await fill(store, from: 1, to: 12)
                    try await store.compact()
                    try await fill(store, from: 13, to: 18)
                }
            ),
        ]
        for kind in kinds {
            let store = work.appendingPathComponent(kind.name, isDirectory: true)
            try? FileManager.default.removeItem(at: store)
            let opened = try FileRecordStore(directory: store)
            let finished = Finished()
            Task {
                do { try await kind.build(opened) } catch { finished.error = error }
                finished.done.signal()
            }
            finished.done.wait()
            if let error = finished.error { throw error }
            opened.close()
            let names = try FileManager.default.contentsOfDirectory(atPath: store.path).sorted()
            let image = DirectoryImage(
                files: try names.map { name in
                    (name, Array(try Data(contentsOf: store.appendingPathComponent(name))))
                })
            try Data(image.encoded).write(to: directory.appendingPathComponent("store-\(kind.name)"))
        }
    }

    /// Inserts, updates and deletes records with unique and non-unique indexes.
    private static func fill(_ store: FileRecordStore, from first: Int, to last: Int) async throws {
        for n in first...last {
            let key = RecordKey(collection: "account", id: "\(n)")
            let indexes: [IndexEntry] = [
                .unique("account.email", "user\(n)@sekolah.example"), .nonUnique("account.school", "\(n % 3)"),
            ]
            try await store.commit(
                .put(key, value: Data("account \(n)".utf8), indexes: indexes, expecting: .mustNotExist))
            if n % 4 == 0 {
                try await store.commit(
                    .put(key, value: Data("account \(n), changed".utf8), indexes: indexes, expecting: .version(1)))
            }
            if n % 5 == 0 {
                try await store.commit(.delete(RecordKey(collection: "account", id: "\(n - 1)"), expecting: .any))
            }
        }
    }

    /// The outcome of building one seed store on a task.
    private final class Finished: @unchecked Sendable {
        // Written by the task before `done.signal()`, read after `done.wait()`: the semaphore orders them.
        var error: (any Error)?
        let done = DispatchSemaphore(value: 0)
    }
}
