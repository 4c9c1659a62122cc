import DapodikTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The I/O fault and crash sweeps of issue 10: every system call of a commit, a group commit of 8
/// writers, a compaction, an open, a salvage, a backup and a bulk import (issue 15) is failed in turn (EIO, ENOSPC, EMFILE),
/// and separately the process is killed with SIGKILL right after it. The operations run in
/// StorageProbe children (Tests/StorageProbe/FaultOperations.swift); every store is then reopened
/// by another, new process, which must find every acknowledged commit, none half-applied, and the
/// generation `CURRENT` names intact.
@Suite("File store fault and crash sweeps", .serialized, .timeLimit(.minutes(10)))
struct FaultSweepTests {
    static let operations = ["commit", "group", "compaction", "open", "salvage", "salvage-last", "backup", "import"]

    /// What a store must hold after an operation on it failed or crashed.
    struct Expectation {
        let operation: String
        /// The highest commit acknowledged before the failure (or already there).
        let acknowledged: Int
        /// Whether the operation reported success.
        let succeeded: Bool

        var possibleLast: Int { ["commit": 4, "group": 11][operation] ?? 10 }

        /// Whether `state` (a `check` line's description) is allowed.
        func allows(_ state: String) -> Bool {
            if operation == "import" {
                // None of the imported items, or all of them; never a part (meta stays at 3).
                let all = "meta=3 items=" + (1...10).map(String.init).joined(separator: ",")
                return state == all || (!succeeded && state == "meta=3 items=1,2,3")
            }
            if operation == "salvage" || operation == "salvage-last" {
                // Before the salvage switched generations the damage is still there, in log-1; after,
                // the commits before the damage and every intact one after it are back; item 5 (or 10)
                // is lost. The new generation is never refused.
                let kept = operation == "salvage" ? [1, 2, 3, 4] + Array(6...10) : Array(1...9)
                return (!succeeded && state == "error=store.corrupted in log-1")
                    || state == "meta=- items=" + kept.map(String.init).joined(separator: ",")
            }
            for last in acknowledged...possibleLast
            where state == "meta=\(last) items=" + (1...last).map(String.init).joined(separator: ",") {
                return true
            }
            return false
        }

        /// What a backup's destination may hold: the whole copy, or (after a failure) a copy that
        /// refuses to open as a backup cut short, or nothing at all.
        func allowsBackup(_ state: String) -> Bool {
            state == "meta=10 items=" + (1...10).map(String.init).joined(separator: ",")
                || (!succeeded && (state == "error=store.backupIncomplete" || state == "meta=- items="))
        }
    }

    static func base(_ operation: String) -> Int { ["commit": 3, "group": 3, "import": 3][operation] ?? 10 }

    /// Reopens every store in a new process and checks it against its expectation.
    static func check(_ points: [(path: String, expectation: Expectation)], label: String) throws {
        var arguments = ["check"]
        for point in points {
            arguments.append(point.path + "/store")
            if point.expectation.operation == "backup" { arguments.append(point.path + "/backup") }
        }
        let checker = try CrashTests.ProbeProcess(arguments)
        var states: [String: String] = [:]
        for line in checker.remainingLines() {
            let fields = line.split(separator: " ", maxSplits: 2)
            if fields.count == 3, fields[0] == "state" { states[String(fields[1])] = String(fields[2]) }
        }
        #expect(checker.process.terminationStatus == 0, "\(checker.standardError)")
        for point in points {
            let state = states[point.path + "/store"] ?? "missing"
            #expect(point.expectation.allows(state), "\(label) \(point.path): \(state), \(point.expectation)")
            if point.expectation.operation == "backup" {
                let copy = states[point.path + "/backup"] ?? "missing"
                #expect(point.expectation.allowsBackup(copy), "\(label) \(point.path) backup: \(copy)")
            }
        }
    }

    @Test("every system call of each operation fails in turn with EIO, ENOSPC and EMFILE: nothing acknowledged is lost")
    func failureSweep() async throws {
        let scratch = try TemporaryDirectory("storage")
        var covered: [String: Int] = [:]
        var kinds: Set<String> = []
        for code in [EIO, ENOSPC, EMFILE] {
            for operation in Self.operations {
                let root = scratch.url.appendingPathComponent("\(operation)-\(code)")
                let sweep = try CrashTests.ProbeProcess(["sweep", root.path, operation, "\(code)"])
                var acknowledged = Self.base(operation)
                var points: [(path: String, expectation: Expectation)] = []
                var completed = false
                for line in sweep.remainingLines() {
                    let fields = line.split(separator: " ").map(String.init)
                    switch fields.first {
                    case "ack":
                        acknowledged = max(acknowledged, Int(fields[1])!)
                    case "point":
                        // point <n> <kind> <result> <path>
                        let result = fields[3]
                        #expect(result == "ok" || result.hasPrefix("store."), "\(operation) \(line)")
                        kinds.insert(fields[2])
                        points.append(
                            (
                                fields[4],
                                Expectation(operation: operation, acknowledged: acknowledged, succeeded: result == "ok")
                            ))
                        acknowledged = Self.base(operation)
                    case "complete":
                        completed = fields.last == "ok"
                    default:
                        Issue.record("unexpected line \(line)")
                    }
                }
                #expect(sweep.process.terminationStatus == 0, "\(operation): \(sweep.standardError)")
                #expect(completed, "\(operation): the operation without a fault")
                // A commit makes 3 or 4 calls when no other process changed the files (issue 15): flock,
                // pwrite (the zeros that grow the log, for the single commit), pwrite, fdatasync.
                #expect(points.count >= (["commit", "group"].contains(operation) ? 3 : 5), "\(operation)")
                covered[operation, default: 0] += points.count
                try Self.check(points, label: "\(operation) errno \(code)")
            }
        }
        let total = covered.values.reduce(0, +)
        print(
            "Fault sweep: \(total) injection points covered (EIO, ENOSPC, EMFILE at each): "
                + Self.operations.map { "\($0) \(covered[$0]! / 3)" }.joined(separator: ", ")
                + "; system calls failed: \(kinds.sorted().joined(separator: ", ")).")
        #expect(
            kinds.isSuperset(of: [
                "open", "read", "write", "sync", "rename", "unlink", "openDirectory", "syncDirectory", "truncate",
                "lock", "syncData", "map", "listDirectory", "readDirectory",
            ]), "\(kinds)")
    }

    @Test("the process is killed right after every system call of each operation: nothing acknowledged is lost")
    func crashSweep() async throws {
        let scratch = try TemporaryDirectory("storage")
        var covered: [String: Int] = [:]
        for operation in Self.operations {
            let template = scratch.url.appendingPathComponent("\(operation)-template")
            let prepare = try CrashTests.ProbeProcess(["prepare", template.path, operation])
            _ = prepare.remainingLines()
            #expect(prepare.process.terminationStatus == 0, "\(prepare.standardError)")
            var points: [(path: String, expectation: Expectation)] = []
            var n = 1
            while true {
                let point = scratch.url.appendingPathComponent("\(operation)-\(n)")
                try FileManager.default.copyItem(at: template, to: point)
                let child = try CrashTests.ProbeProcess(["crash", point.path, operation, "\(n)"])
                var acknowledged = Self.base(operation)
                var completed = false
                for line in child.remainingLines() {
                    let fields = line.split(separator: " ")
                    if fields.first == "ack" { acknowledged = max(acknowledged, Int(fields[1])!) }
                    if fields.first == "complete" { completed = true }
                }
                if completed {
                    #expect(child.process.terminationStatus == 0, "\(operation) \(n): \(child.standardError)")
                    break
                }
                #expect(
                    child.process.terminationReason == .uncaughtSignal && child.process.terminationStatus == SIGKILL,
                    "\(operation) \(n): \(child.standardError)")
                points.append(
                    (point.path, Expectation(operation: operation, acknowledged: acknowledged, succeeded: false)))
                n += 1
            }
            // A commit makes 3 or 4 calls when no other process changed the files (issue 15): flock,
            // pwrite (the zeros that grow the log, for the single commit), pwrite, fdatasync.
            #expect(points.count >= (["commit", "group"].contains(operation) ? 3 : 5), "\(operation)")
            covered[operation] = points.count
            try Self.check(points, label: "\(operation) crash")
        }
        print(
            "Crash sweep: \(covered.values.reduce(0, +)) crash points covered (SIGKILL right after each system call): "
                + Self.operations.map { "\($0) \(covered[$0]!)" }.joined(separator: ", ") + ".")
    }
}
