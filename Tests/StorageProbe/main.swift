// A child process for the storage crash and multi-process tests (Tests/DapodikStorageTests).
//
//   StorageProbe commit-loop <dir>                  commit forever, printing "ack <sequence> <n>" per commit
//   StorageProbe counter <dir> <tasks> <increments>  increment one counter; prints "done <successes>"
//   StorageProbe compact-crash <dir> <step> <n>      commit n records, then compact and _exit(42) at step

import DapodikStorage
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a line straight to the pipe (no buffering: a SIGKILL must not lose acknowledged lines).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: StorageProbe <mode> <dir> …\n".utf8))
    exit(64)
}
let directory = URL(fileURLWithPath: arguments[2])

func fail(_ error: any Error) -> Never {
    FileHandle.standardError.write(Data("StorageProbe: \(error)\n".utf8))
    exit(1)
}

func number(_ data: Data) -> Int { Int(String(decoding: data, as: UTF8.self))! }

switch arguments[1] {
case "commit-loop":
    // Each commit writes item n, moves "meta/last" to n (a compare-and-swap, with a unique index),
    // and deletes item n-5 every third time: after any crash, meta/last = L must come with items
    // exactly as the first L commits left them.
    var options = FileRecordStore.Options()
    options.compactionMinimumLogBytes = 8 << 10
    do {
        let store = try FileRecordStore(directory: directory, options: options)
        let meta = RecordKey(collection: "meta", id: "last")
        var current = try await store.record(for: meta)
        var n = current.map { number($0.value) } ?? 0
        while true {
            n += 1
            var batch: [Mutation] = [
                .put(
                    RecordKey(collection: "item", id: String(n)), value: Data(String(n).utf8),
                    indexes: [.nonUnique("item.parity", String(n % 2)), .unique("item.number", String(n))],
                    expecting: .mustNotExist),
                .put(
                    meta, value: Data(String(n).utf8), indexes: [.unique("meta.last", String(n))],
                    expecting: current.map { .version($0.version) } ?? .mustNotExist),
            ]
            if n % 3 == 0, n > 5 {
                batch.append(.delete(RecordKey(collection: "item", id: String(n - 5)), expecting: .version(1)))
            }
            let sequence = try await store.commit(batch)
            say("ack \(sequence) \(n)")
            current = try await store.record(for: meta)
        }
    } catch {
        fail(error)
    }

case "counter":
    let tasks = Int(arguments[3])!
    let increments = Int(arguments[4])!
    do {
        let store = try FileRecordStore(directory: directory)
        let key = RecordKey(collection: "counter", id: "shared")
        let successes = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var done = 0
                    while done < increments {
                        let current = try await store.record(for: key)
                        let value = current.map { number($0.value) } ?? 0
                        do {
                            try await store.commit(
                                .put(
                                    key, value: Data(String(value + 1).utf8),
                                    expecting: current.map { .version($0.version) } ?? .mustNotExist))
                            done += 1
                        } catch let error as StoreError where error.isConflict {
                            continue
                        }
                    }
                    return done
                }
            }
            var total = 0
            for try await done in group { total += done }
            return total
        }
        say("done \(successes)")
    } catch {
        fail(error)
    }

case "compact-crash":
    let step = Int(arguments[3])!
    let count = Int(arguments[4])!
    var options = FileRecordStore.Options()
    options.automaticCompaction = false
    options.compactionStepHook = { reached in
        if reached.rawValue == step { _exit(42) }
    }
    do {
        let store = try FileRecordStore(directory: directory, options: options)
        for n in 1...count {
            try await store.commit(
                .put(
                    RecordKey(collection: "item", id: String(n)), value: Data(String(n).utf8),
                    indexes: [.unique("item.number", String(n))], expecting: .mustNotExist))
        }
        try await store.commit(.delete(RecordKey(collection: "item", id: "1"), expecting: .version(1)))
        say("committed")
        try await store.compact()
        say("compacted")
    } catch {
        fail(error)
    }

default:
    fail(StoreErrorDescription("unknown mode \(arguments[1])"))
}

struct StoreErrorDescription: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
