// A child process for the storage crash and multi-process tests (Tests/DapodikStorageTests).
//
//   StorageProbe commit-loop <dir>                  commit forever, printing "ack <sequence> <n>" per commit
//   StorageProbe counter <dir> <tasks> <increments>  increment one counter; prints "done <successes>"
//   StorageProbe compact-crash <dir> <step> <n>      commit n records, then compact and _exit(42) at step
//   StorageProbe scale <dir> <n> [<population>]      fill and compact n account-like records and exit;
//                                                    with n = 0, open the store and time lookups
//   StorageProbe throughput <dir> <clients> <n>      commits per second with concurrent clients
//   StorageProbe sweep <dir> <operation> <errno>     fail each system call of an operation in turn
//   StorageProbe crash <dir> <operation> <n>         SIGKILL right after the operation's n-th system call
//   StorageProbe hold-lock <dir>                     hold LOCK exclusively until standard input closes
//   StorageProbe compact <dir>                       compact the store
//   StorageProbe prepare <dir> <operation>            the starting state of an operation's sweep
//   StorageProbe check <store>…                      describe what each store holds

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
    // Measures a compacted store of n account-like records (issue 7): the time to fill and compact
    // it (when n > 0; 0 reuses the directory), then in this process: the time to open it, the
    // resident memory (VmRSS now, VmHWM the peak), and random lookups by key and by unique e-mail
    // (p50/p99 over 20,000 of each). Run it twice (fill, then 0) for a cold-process open.
    let count = Int(arguments[3])!
    let clock = ContinuousClock()
    func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.3f", value)
    }
    func memory() -> String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String {
            let line = status.split(separator: "\n").first { $0.hasPrefix(name) } ?? ""
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().joined(separator: " ")
        }
        return "peak (VmHWM) \(field("VmHWM")), now (VmRSS) \(field("VmRSS"))"
    }
    func accountKey(_ n: Int) -> RecordKey {
        RecordKey(collection: "account", id: "3f2504e0-4f89-11d3-9a0c-\(100_000_000_000 + n)")
    }
    do {
        var options = FileRecordStore.Options()
        options.automaticCompaction = false
        if count > 0 {
            let store = try FileRecordStore(directory: directory, options: options)
            let value = Data(repeating: UInt8(ascii: "x"), count: 400)
            let fill = try await clock.measure {
                for start in stride(from: 0, to: count, by: 10_000) {
                    try await store.commit(
                        (start..<min(count, start + 10_000)).map { n in
                            .put(
                                accountKey(n), value: value,
                                indexes: [
                                    .unique("account.email", "guru.\(n)@sekolah.example.sch.id"),
                                    .unique("account.username", "ptk\(n)"),
                                    .nonUnique("account.school", String(20_100_000 + n / 8)),
                                ], expecting: .mustNotExist)
                        })
                }
            }
            say("fill \(count) records \(seconds(fill)) s, memory \(memory())")
            let compaction = try await clock.measure { try await store.compact() }
            say("compact \(seconds(compaction)) s, memory \(memory())")
            store.close()
            exit(0)
        }
        var opened: FileRecordStore?
        let elapsed = try clock.measure { opened = try FileRecordStore(directory: directory, options: options) }
        let store = opened!
        say("open \(seconds(elapsed)) s, memory \(memory()), generation \(store.generation)")
        var byKey: [Duration] = []
        var byEmail: [Duration] = []
        var generator = SystemRandomNumberGenerator()
        let population = Int(arguments.count > 4 ? arguments[4] : "1000000")!
        for _ in 0..<20_000 {
            let n = Int.random(in: 0..<population, using: &generator)
            var found: Record?
            byKey.append(try await clock.measure { found = try await store.record(for: accountKey(n)) })
            guard found != nil else { fail(StoreErrorDescription("account \(n) missing")) }
            byEmail.append(
                try await clock.measure {
                    found = try await store.record(
                        whereUnique: "account.email", equals: "guru.\(n)@sekolah.example.sch.id")
                })
            guard found?.key == accountKey(n) else { fail(StoreErrorDescription("e-mail \(n) missing")) }
        }
        func percentiles(_ samples: [Duration]) -> String {
            let sorted = samples.sorted()
            func micros(_ d: Duration) -> String {
                String(format: "%.1f", Double(d.components.attoseconds) / 1e12 + Double(d.components.seconds) * 1e6)
            }
            return "p50 \(micros(sorted[sorted.count / 2])) us p99 \(micros(sorted[sorted.count * 99 / 100])) us"
        }
        say("lookup by key \(percentiles(byKey)); by e-mail \(percentiles(byEmail)); memory \(memory())")
        let school = try await clock.measure {
            _ = try await store.records(where: "account.school", equals: String(20_100_000 + population / 16))
        }
        say("school listing \(seconds(school)) s")
    } catch {
        fail(error)
    }

case "throughput":
    // Commits per second with `clients` concurrent tasks, each committing `per` single puts; keys
    // start with the optional prefix, so that several processes can commit to one store at once.
    let clients = Int(arguments[3])!
    let per = Int(arguments[4])!
    let prefix = arguments.count > 5 ? arguments[5] : ""
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
                                    RecordKey(collection: "t", id: "\(prefix)\(client)-\(n)"), value: Data(count: 300),
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

case "sweep":
    // Fails the n-th system call of an operation with an errno, for n = 1, 2, … until the operation
    // makes fewer than n calls. Each point runs on a copy of one prepared store in <dir>/<n>.
    // Prints "ack <n>" per acknowledged commit, then "point <n> <kind> <result> <path>" per point.
    let operation = FaultOperation(rawValue: arguments[3])!
    let code = Int32(arguments[4])!
    let template = directory.appendingPathComponent("template")
    do {
        try await operation.prepare(template)
        var n = 1
        while true {
            let point = directory.appendingPathComponent(String(n))
            try FileManager.default.copyItem(at: template, to: point)
            let result = await operation.run(point) {
                SystemCallFaults.arm(directory: point.path, target: n, action: .fail(errno: code))
            }
            let tally = SystemCallFaults.disarm(directory: point.path)
            guard let kind = tally.hitKind else {
                say("complete \(n - 1) \(result)")
                break
            }
            say("point \(n) \(kind) \(result) \(point.path)")
            n += 1
        }
    } catch {
        fail(error)
    }

case "crash":
    // Prepares <dir> (unless it exists) and runs the operation, killing this process with SIGKILL
    // right after its n-th system call. Prints "ack <n>" per acknowledged commit, and "complete"
    // when the operation makes fewer than n calls.
    let operation = FaultOperation(rawValue: arguments[3])!
    let target = Int(arguments[4])!
    do {
        if !FileManager.default.fileExists(atPath: directory.path) { try await operation.prepare(directory) }
        let result = await operation.run(directory) {
            SystemCallFaults.arm(directory: directory.path, target: target, action: .crashAfter)
        }
        SystemCallFaults.disarm(directory: directory.path)
        say("complete \(result)")
    } catch {
        fail(error)
    }

case "hold-lock":
    // Holds the store's LOCK exclusively (as a commit, a compaction or a salvage of another process
    // does) until standard input is closed.
    let lock = open(directory.appendingPathComponent("LOCK").path, O_RDWR)
    guard lock >= 0, flock(lock, LOCK_EX) == 0 else { fail(StoreErrorDescription("flock failed: \(errno)")) }
    say("locked")
    _ = FileHandle.standardInput.readDataToEndOfFile()
    exit(0)

case "compact":
    do {
        let store = try FileRecordStore(directory: directory)
        try await store.compact()
        say("compacted \(store.generation)")
    } catch {
        fail(error)
    }

case "prepare":
    do {
        try await FaultOperation(rawValue: arguments[3])!.prepare(directory)
    } catch {
        fail(error)
    }

case "check":
    // Opens each store given (a process that never had it open) and describes what it holds.
    for path in arguments[2...] {
        say("state \(path) \(await describeStore(URL(fileURLWithPath: path)))")
    }

default:
    fail(StoreErrorDescription("unknown mode \(arguments[1])"))
}

struct StoreErrorDescription: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
