// A child process for the storage crash and multi-process tests (Tests/DapodikStorageTests).
//
//   StorageProbe commit-loop <dir>                  commit forever, printing "ack <sequence> <n>" per commit
//   StorageProbe counter <dir> <tasks> <increments>  increment one counter; prints "done <successes>"
//   StorageProbe compact-crash <dir> <step> <n>      commit n records, then compact and _exit(42) at step
//   StorageProbe scale <dir> <n>                     fill n account-like records (0: reuse), time the open
//   StorageProbe throughput <dir> <clients> <n>      commits per second with concurrent clients

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

case "scale":
    // Measures opening a compacted store of n account-like records (issue 7): prints the seconds
    // to open and the resident memory after opening.
    let count = Int(arguments[3])!
    do {
        if count > 0 {
            var options = FileRecordStore.Options()
            options.automaticCompaction = false
            let store = try FileRecordStore(directory: directory, options: options)
            let value = Data(repeating: UInt8(ascii: "x"), count: 400)
            for start in stride(from: 0, to: count, by: 10_000) {
                try await store.commit(
                    (start..<min(count, start + 10_000)).map { n in
                        .put(
                            RecordKey(collection: "account", id: "3f2504e0-4f89-11d3-9a0c-\(100_000_000_000 + n)"),
                            value: value,
                            indexes: [
                                .unique("account.email", "guru.\(n)@sekolah.example.sch.id"),
                                .unique("account.username", "ptk\(n)"),
                                .nonUnique("account.school", String(20_100_000 + n / 8)),
                            ], expecting: .mustNotExist)
                    })
            }
            try await store.compact()
            store.close()
        }
        let clock = ContinuousClock()
        var opened: FileRecordStore?
        let elapsed = try clock.measure { opened = try FileRecordStore(directory: directory) }
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let resident = status.split(separator: "\n").first { $0.hasPrefix("VmRSS") } ?? "VmRSS: ?"
        say("open \(elapsed) \(resident) generation \(opened!.generation)")
    } catch {
        fail(error)
    }

case "throughput":
    // Commits per second with `clients` concurrent tasks, each committing `per` single puts.
    let clients = Int(arguments[3])!
    let per = Int(arguments[4])!
    do {
        let store = try FileRecordStore(directory: directory)
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<clients {
                    group.addTask {
                        for n in 0..<per {
                            try await store.commit(
                                .put(
                                    RecordKey(collection: "t", id: "\(client)-\(n)"), value: Data(count: 300),
                                    expecting: .mustNotExist))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        say("commits/s \(Int(Double(clients * per) / seconds))")
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
