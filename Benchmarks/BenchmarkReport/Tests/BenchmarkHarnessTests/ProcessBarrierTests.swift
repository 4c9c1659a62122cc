import BenchmarkHarness
import Foundation
import Synchronization
import Testing

/// `ProcessBarrier.meet`, which lets the two processes of `Benchmarks/run`'s pair start measuring
/// together. Parties are threads here, each arriving under its own name, as processes arrive under
/// their process IDs; one test meets a real second process.
@Suite("Processes meeting before they measure")
struct ProcessBarrierTests {
    @Test("two parties both return once both have arrived; the directory is created when missing")
    func twoParties() async throws {
        let directory = try Self.temporaryDirectory() + "/meeting"
        async let first: Void = Self.meet(directory, parties: 2, as: "a")
        async let second: Void = Self.meet(directory, parties: 2, as: "b")
        _ = try await (first, second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["a", "b"])
    }

    @Test("a party that arrives first waits for the other: it has not returned before the other arrives")
    func firstWaits() async throws {
        let directory = try Self.temporaryDirectory()
        let earlyReturned = Mutex(false)
        let early = Task {
            try await Self.meet(directory, parties: 2, as: "early")
            earlyReturned.withLock { $0 = true }
        }
        while !FileManager.default.fileExists(atPath: directory + "/early") {
            try await Task.sleep(for: .milliseconds(5))
        }
        // The early party has arrived; given time, it still waits.
        try await Task.sleep(for: .milliseconds(100))
        #expect(!earlyReturned.withLock { $0 }, "the early party returned before its partner arrived")
        try await Self.meet(directory, parties: 2, as: "late")
        try await early.value
        #expect(earlyReturned.withLock { $0 })
    }

    @Test("a meeting place left full by an earlier meeting is refused: this process would measure alone")
    func leftFull() throws {
        let directory = try Self.temporaryDirectory()
        for name in ["1", "2"] {
            #expect(FileManager.default.createFile(atPath: directory + "/" + name, contents: Data()))
        }
        #expect(throws: ClientFailure.self) { try ProcessBarrier.meet(at: directory, parties: 2, as: "3") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 2, "nothing was added")
    }

    @Test("a party whose partner never comes gives up at its limit with a failure naming the place")
    func partnerNeverComes() throws {
        let directory = try Self.temporaryDirectory()
        let failure = #expect(throws: ClientFailure.self) {
            try ProcessBarrier.meet(at: directory, parties: 2, as: "alone", atMost: .milliseconds(50))
        }
        #expect(failure?.description.contains(directory) == true)
    }

    @Test(
        "an arrival name that is not a plain file name is refused, and nothing is written",
        arguments: ["", ".", "..", "../x", "a/b"])
    func arrivalNames(name: String) throws {
        let directory = try Self.temporaryDirectory()
        let failure = #expect(throws: ClientFailure.self) {
            try ProcessBarrier.meet(at: directory + "/place", parties: 2, as: name, atMost: .milliseconds(50))
        }
        #expect(failure?.description.contains("plain file name") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test("a party in another process, arriving under its process ID, meets this one")
    func anotherProcess() async throws {
        let directory = try Self.temporaryDirectory()
        // The other process arrives as a process would: a file named by its process ID.
        let other = Process()
        other.executableURL = URL(fileURLWithPath: "/bin/sh")
        other.arguments = ["-c", "sleep 0.1; : > \"$0/$$\"", directory]
        try other.run()
        try await Self.meet(directory, parties: 2, as: nil)
        other.waitUntilExit()
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        #expect(names == ["\(ProcessInfo.processInfo.processIdentifier)", "\(other.processIdentifier)"])
    }

    /// Meets on a thread of its own: `meet` blocks while it waits.
    private static func meet(_ directory: String, parties: Int, as name: String?) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread {
                continuation.resume(with: Result { try ProcessBarrier.meet(at: directory, parties: parties, as: name) })
            }.start()
        }
    }

    private static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "process-barrier-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
