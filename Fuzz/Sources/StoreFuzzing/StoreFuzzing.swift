import CLibFuzzer
import DapodikLanguage
import DapodikStorage
import Dispatch
import Foundation
import FuzzDriver

/// The fuzz targets of the file store: one input is a ``DirectoryImage`` of a store directory; it is
/// written to disk and opened with the public API only (`FileRecordStore(directory:)` and its
/// reads, one commit, one compaction), so the storage format may change without breaking them.
///
/// What must hold for every input: opening and every later call end in a ``StoreError`` or succeed
/// (a trap, a hang or unbounded memory is what libFuzzer reports as a crash), an open that fails
/// deletes no file, and a store that opens is a valid store: each unique index value leads back to
/// the record holding it, and an acknowledged commit is there after reopening, also after a
/// compaction. A broken rule stops the process with `fatalError`, which libFuzzer reports with the
/// input.
package enum StoreFuzzing {
    /// The scratch directory of this process: `DAPODIK_FUZZ_SCRATCH` (`.ci/fuzz` sets it and removes
    /// it afterwards), or one on `tmpfs` when there is one, so `fsync` is cheap.
    private static let scratch: URL = {
        if let chosen = ProcessInfo.processInfo.environment["DAPODIK_FUZZ_SCRATCH"] {
            return URL(fileURLWithPath: chosen, isDirectory: true)
        }
        let shm = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        let base = FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        return base.appendingPathComponent("dapodik-fuzz-\(getpid())", isDirectory: true)
    }()

    /// The fuzz target's `main`: with `DAPODIK_FUZZ_WRITE_SEEDS=<directory>` in the environment,
    /// writes the seed corpus (images of real stores made by this code) there; otherwise runs
    /// libFuzzer with the command line's options.
    /// - Returns: The exit status.
    package static func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
        runFuzzTarget(
            argc, argv, writingSeeds: { try SeedStores.write(to: $0, scratch: scratch) },
            testOneInput: { data, size in StoreFuzzing.run(data, size) })
    }

    /// Runs one input (libFuzzer's `LLVMFuzzerTestOneInput`).
    package static func run(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
        let image = DirectoryImage(decoding: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : count))
        let directory = scratch.appendingPathComponent("store", isDirectory: true)
        do {
            try? FileManager.default.removeItem(at: directory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in image.files {
                try Data(file.content).write(to: directory.appendingPathComponent(file.name))
            }
        } catch {
            fatalError("cannot write the store directory \(directory.path): \(error)")
        }
        let names = image.files.map(\.name)
        let outcome = blocking { await exercise(directory, files: names) }
        if Outcomes.isCounting { Outcomes.record(outcome) }
        return 0
    }

    /// libFuzzer's `LLVMFuzzerCustomMutator`: mutates only the bytes of `file` (with libFuzzer's
    /// own mutator) and keeps the other files of the image, so the store stays consistent around it.
    package static func mutate(
        _ data: UnsafeMutablePointer<UInt8>, size: Int, maxSize: Int, file: StoreFile
    ) -> Int {
        var image = DirectoryImage(decoding: UnsafeRawBufferPointer(start: data, count: size))
        guard let index = image.files.firstIndex(where: { file.matches($0.name) }) else {
            return LLVMFuzzerMutate(data, size, maxSize)
        }
        let room = maxSize - (image.encoded.count - image.files[index].content.count)
        guard room > 0 else { return LLVMFuzzerMutate(data, size, maxSize) }
        var content = image.files[index].content
        if content.isEmpty { content = [0] }
        let used = min(content.count, room)
        content += [UInt8](repeating: 0, count: max(0, room - content.count))
        let mutated = content.withUnsafeMutableBufferPointer { LLVMFuzzerMutate($0.baseAddress!, used, room) }
        image.files[index].content = Array(content.prefix(mutated))
        let encoded = image.encoded
        guard encoded.count <= maxSize else { return LLVMFuzzerMutate(data, size, maxSize) }
        encoded.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: encoded.count) }
        return encoded.count
    }

    /// Opens the store and uses it; see the type's rules.
    /// - Returns: How it ended, for ``Outcomes``: `"worked"` or the error's code and English text.
    private static func exercise(_ directory: URL, files: [String]) async -> String {
        do {
            let store: FileRecordStore
            do {
                store = try FileRecordStore(directory: directory)
            } catch {
                // Issue 10: a missing, damaged or unexpected file never makes the store delete
                // anything; it refuses to open.
                let left = Set((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                let deleted = files.filter { !left.contains($0) }
                check(
                    deleted.isEmpty, "opening failed (\(error.code): \(error.message.english)) and deleted \(deleted)")
                throw error
            }
            try await checkUniqueIndexes(of: store)
            let probe = RecordKey(collection: "fuzz", id: "probe")
            let sequence = try await store.commit(.put(probe, value: Data("probe".utf8), expecting: .any))
            store.close()
            let reopened = try FileRecordStore(directory: directory)
            let found = try await reopened.record(for: probe)
            check(found?.sequence == sequence, "acknowledged commit \(sequence) is missing after reopening")
            try await reopened.compact()
            reopened.close()
            let compacted = try FileRecordStore(directory: directory)
            let kept = try await compacted.record(for: probe)
            check(kept?.value == Data("probe".utf8), "commit \(sequence) is missing after a compaction")
            try await checkUniqueIndexes(of: compacted)
            compacted.close()
            return "worked"
        } catch let error as StoreError {
            // A typed error is a correct answer to damaged files.
            return "\(error.code) \(error.message.english)"
        } catch {
            fatalError("the store threw an error that is not a StoreError: \(error)")
        }
    }

    /// Every key the change feed names is read, and each of its unique index values must lead back
    /// to it.
    private static func checkUniqueIndexes(of store: FileRecordStore) async throws {
        var keys = Set<RecordKey>()
        for batch in try await store.changes(after: 0, limit: 10_000) {
            keys.formUnion(batch.puts.map(\.key))
            keys.formUnion(batch.deletes)
        }
        for key in keys {
            guard let record = try await store.record(for: key) else { continue }
            check(record.key == key, "reading \(key) returned \(record.key)")
            for entry in record.indexes where entry.isUnique {
                let holder = try await store.record(whereUnique: entry.name, equals: entry.value)
                check(holder?.key == key, "unique index \(entry.name)=\(entry.value) does not lead back to \(key)")
            }
        }
    }

    private static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("invalid store: \(message())") }
    }

    /// Runs async work to its end from libFuzzer's synchronous callback.
    private static func blocking(_ body: @escaping @Sendable () async -> String) -> String {
        let result = Result()
        Task {
            result.value = await body()
            result.done.signal()
        }
        result.done.wait()
        return result.value
    }

    private final class Result: @unchecked Sendable {
        // Written by the task before `done.signal()`, read after `done.wait()`: the semaphore
        // orders the two.
        var value = ""
        let done = DispatchSemaphore(value: 0)
    }
}
