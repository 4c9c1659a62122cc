import DapodikTestSupport
import Dispatch
import Foundation
import Testing

@testable import DapodikStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Real processes killed with SIGKILL, racing each other, and stopped at each step of compaction.
/// Serialized: they would otherwise fight for the cores and the disk.
@Suite("File store crashes and processes", .serialized, .timeLimit(.minutes(10)))
struct CrashTests {
    /// The StorageProbe executable, built beside the test bundle (robust to `--scratch-path`).
    static func probe() throws -> URL {
        var directories: [URL] = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        directories.append(root.appendingPathComponent(".build/debug"))
        for directory in directories {
            let candidate = directory.appendingPathComponent("StorageProbe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ProbeNotFound(searched: directories.map(\.path))
    }

    struct ProbeNotFound: Error { let searched: [String] }

    /// A running probe whose standard output is read line by line. Its standard error is drained
    /// all along on another thread, so a child that writes much there never blocks on a full pipe
    /// (`/work/shared/notes/thread-sanitizer.md`, point 4).
    final class ProbeProcess {
        let process = Process()
        private let output = Pipe()
        private let errors = Pipe()
        private let input = Pipe()
        private var buffer: [UInt8] = []
        private var finished = false
        private let errorText = ErrorText()

        /// The child's standard error, complete once the child closed it.
        private final class ErrorText: @unchecked Sendable {
            // Written once by the draining thread before `done` is signalled; read only after a wait.
            var data = Data()
            let done = DispatchSemaphore(value: 0)
        }

        init(_ arguments: [String]) throws {
            process.executableURL = try CrashTests.probe()
            process.arguments = arguments
            process.standardOutput = output
            process.standardError = errors
            process.standardInput = input
            try process.run()
            let reading = errors.fileHandleForReading
            let text = errorText
            DispatchQueue.global().async {
                text.data = reading.readDataToEndOfFile()
                text.done.signal()
            }
        }

        /// The next line, or `nil` at the end of the output.
        func nextLine() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    buffer.removeSubrange(...newline)
                    return line
                }
                if finished { return nil }
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { finished = true } else { buffer.append(contentsOf: data) }
            }
        }

        /// Closes the child's standard input.
        func closeInput() {
            try? input.fileHandleForWriting.close()
        }

        func kill() {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
        }

        func remainingLines() -> [String] {
            var lines: [String] = []
            while let line = nextLine() { lines.append(line) }
            process.waitUntilExit()
            return lines
        }

        /// Waits for the child to close its standard error (at its exit) and returns it.
        lazy var standardError: String = {
            errorText.done.wait()
            return String(decoding: errorText.data, as: UTF8.self)
        }()
    }

    @Test("killed with SIGKILL 50 times while committing: every acknowledged commit is there, none half-applied")
    func killNine() async throws {
        let scratch = try TemporaryDirectory("storage")
        let observer = try FileRecordStore(directory: scratch.store)
        var highestAcknowledged = 0
        for round in 0..<50 {
            let child = try ProbeProcess(["commit-loop", scratch.store.path])
            let acknowledgementsBeforeKill = round % 10 == 0 ? 0 : Int.random(in: 1...25)
            var acknowledged: [Int] = []
            while acknowledged.count < acknowledgementsBeforeKill, let line = child.nextLine() {
                acknowledged.append(try Self.acknowledged(line))
            }
            // Land the kill anywhere in the next commit: before, during or after its write or fsync.
            usleep(UInt32.random(in: 0...2_000))
            child.kill()
            acknowledged += try child.remainingLines().map(Self.acknowledged)
            #expect(child.process.terminationReason == .uncaughtSignal, "round \(round): \(child.standardError)")
            highestAcknowledged = max(highestAcknowledged, acknowledged.max() ?? 0)

            let store = try FileRecordStore(directory: scratch.store)
            guard let last = try await store.record(for: key("meta", "last")) else {
                // Killed before its first commit.
                #expect(highestAcknowledged == 0, "round \(round)")
                #expect(try await store.changes(after: 0).isEmpty)
                continue
            }
            let lastNumber = Int(text(last)!)!
            #expect(lastNumber >= highestAcknowledged, "round \(round)")
            #expect(lastNumber <= highestAcknowledged + 1, "round \(round)")
            #expect(last.sequence == UInt64(lastNumber))
            for n in max(1, lastNumber - 40)...(lastNumber + 1) {
                let item = try await store.record(for: key("item", "\(n)"))
                let deleted = (n + 5) % 3 == 0 && n + 5 <= lastNumber && n + 5 > 5
                #expect((item != nil) == (n <= lastNumber && !deleted), "round \(round), item \(n) of \(lastNumber)")
            }
            #expect(try await store.record(whereUnique: "meta.last", equals: "\(lastNumber)")?.key == last.key)
            #expect(try await store.changes(after: UInt64(lastNumber) - 1).map(\.sequence) == [UInt64(lastNumber)])
            let fresh = try store.indexSummaries()
            #expect(fresh.maintained == fresh.rebuilt, "round \(round)")
            let followed = try observer.indexSummaries()
            #expect(followed.maintained == fresh.maintained, "round \(round): the observer caught up incrementally")
            store.close()
        }
        #expect(highestAcknowledged >= 50)
    }

    static func acknowledged(_ line: String) throws -> Int {
        let fields = line.split(separator: " ")
        guard fields.count == 3, fields[0] == "ack", let n = Int(fields[2]), UInt64(fields[1]) == UInt64(n) else {
            throw UnexpectedOutput(line: line)
        }
        return n
    }

    struct UnexpectedOutput: Error { let line: String }

    @Test("two processes with several tasks each increment one counter: nothing is lost")
    func twoProcessCounter() async throws {
        let scratch = try TemporaryDirectory("storage")
        let children = try (0..<2).map { _ in try ProbeProcess(["counter", scratch.store.path, "4", "40"]) }
        var successes = 0
        for child in children {
            let lines = child.remainingLines()
            #expect(child.process.terminationStatus == 0, "\(child.standardError)")
            let done = try #require(lines.last?.split(separator: " "))
            #expect(done.first == "done")
            successes += Int(done.last!)!
        }
        #expect(successes == 320)
        let store = try FileRecordStore(directory: scratch.store)
        let counter = try #require(try await store.record(for: key("counter", "shared")))
        #expect(text(counter) == "\(successes)")
        #expect(counter.version == UInt64(successes))
    }

    @Test(
        "a crash after each step of compaction: the old or the new generation opens, complete",
        arguments: CompactionStep.allCases)
    func crashDuringCompaction(step: CompactionStep) async throws {
        let scratch = try TemporaryDirectory("storage")
        let child = try ProbeProcess(["compact-crash", scratch.store.path, "\(step.rawValue)", "20"])
        let lines = child.remainingLines()
        #expect(child.process.terminationStatus == 42, "\(lines) \(child.standardError)")
        #expect(lines == ["committed"])

        let store = try FileRecordStore(directory: scratch.store)
        #expect(store.generation == (step.rawValue >= CompactionStep.manifestSwitched.rawValue ? 2 : 1))
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: scratch.store.path))
        #expect(names == ["LOCK", "CURRENT", "snapshot-\(store.generation)", "log-\(store.generation)"])
        #expect(try await store.record(for: key("item", "1")) == nil)
        for n in 2...20 {
            #expect(text(try await store.record(for: key("item", "\(n)"))) == "\(n)")
        }
        #expect(try await store.record(whereUnique: "item.number", equals: "20")?.key == key("item", "20"))
        let summaries = try store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
        // Compaction summarizes history: the delete of item 1 (sequence 21) leaves the feed.
        #expect(try await store.changes(after: 0, limit: 100).last?.sequence == (store.generation == 2 ? 20 : 21))
        #expect(try await store.commit(.put(key("item", "1"), value: bytes("1"), expecting: .mustNotExist)) == 22)
    }
}
