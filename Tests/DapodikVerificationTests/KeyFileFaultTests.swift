import DapodikHostSystem
import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

@testable import DapodikStorage

#if canImport(Glibc)
    import Glibc
#endif

/// The key file's writes under injected I/O errors (``SystemCallFaults``, armed on each test's own
/// directory): every system call of a creation and of a rotation fails in turn.
@Suite("KeyFile I/O faults")
struct KeyFileFaultTests {
    static let start = Date(timeIntervalSince1970: 1_787_531_400)

    /// What one failed call left: the error, and the file's bytes (nil when there is none).
    struct Outcome {
        let error: KeyFileError?
        let bytes: Data?
        /// Whether the key file reads afterwards (whole, with its check values).
        let readable: Bool
        let names: Set<String>
        let tally: SystemCallFaults.Tally
    }

    /// Runs `change` on a key file in a fresh directory (after `prepare`), with the `target`-th call
    /// in that directory failing with `errno`.
    static func outcome(
        target: Int, errno code: Int32, prepare: (KeyFile) throws -> Void, change: (KeyFile) throws -> Void
    ) throws -> Outcome {
        let scratch = try TemporaryDirectory("keyfile-faults")
        let keyFile = KeyFile(at: scratch.url.appendingPathComponent("secret-keys"))
        try prepare(keyFile)
        SystemCallFaults.arm(directory: scratch.path, target: target, action: .fail(errno: code))
        var failure: KeyFileError?
        do { try change(keyFile) } catch let error as KeyFileError { failure = error }
        let tally = SystemCallFaults.disarm(directory: scratch.path)
        return Outcome(
            error: failure, bytes: try? Data(contentsOf: keyFile.url), readable: (try? keyFile.read()) != nil,
            names: Set(try FileManager.default.contentsOfDirectory(atPath: scratch.path)), tally: tally)
    }

    @Test(
        "every system call of a rotation failing in turn: a typed error; the file is as it was, or in place with notDurable; no temporary file stays",
        arguments: [EIO, ENOSPC])
    func rotation(errno code: Int32) throws {
        var before: Data?
        let prepare = { (keyFile: KeyFile) throws in
            _ = try keyFile.create(now: Self.start)
            before = try Data(contentsOf: keyFile.url)
        }
        var kinds: [SystemCallFaults.Kind] = []
        for target in 1...50 {
            let outcome = try Self.outcome(target: target, errno: code, prepare: prepare) {
                _ = try $0.rotate(now: Self.start)
            }
            guard let kind = outcome.tally.hitKind else {
                // Past the last call: the rotation went through.
                #expect(outcome.error == nil)
                #expect(target > 1)
                break
            }
            kinds.append(kind)
            let error = try #require(outcome.error, "call \(target) (\(kind)) failed, the rotation did not")
            #expect(error.message.english.contains(ErrnoText.reason(code, file: "").english))
            if kind == .openDirectory || kind == .syncDirectory {
                // After the rename: the new file is what readers see, and the error says so.
                #expect(error.code == .notDurable, "call \(target) (\(kind))")
                #expect(outcome.bytes != before)
                #expect(outcome.readable)
                #expect(error.message.indonesian.contains("sudah ditulis dan berlaku"))
                #expect(error.message.english.contains("do not make the change again"))
            } else {
                #expect(error.code != .notDurable, "call \(target) (\(kind))")
                #expect(outcome.bytes == before, "call \(target) (\(kind)) changed the file")
                #expect(outcome.readable)
            }
            #expect(!outcome.names.contains { $0.hasSuffix(".tmp") }, "call \(target) (\(kind)) left \(outcome.names)")
        }
        // The sweep reached every kind of call a write makes, the directory's fsync last.
        #expect(Set(kinds).isSuperset(of: [.open, .write, .sync, .rename, .openDirectory, .syncDirectory]), "\(kinds)")
        #expect(kinds.last == .syncDirectory)
    }

    @Test("every system call of a creation failing in turn: no key file, or the whole one with notDurable")
    func creation() throws {
        var kinds: [SystemCallFaults.Kind] = []
        for target in 1...50 {
            let outcome = try Self.outcome(
                target: target, errno: EIO, prepare: { _ in }, change: { _ = try $0.create(now: Self.start) })
            guard let kind = outcome.tally.hitKind else {
                #expect(outcome.error == nil)
                break
            }
            kinds.append(kind)
            let error = try #require(outcome.error, "call \(target) (\(kind)) failed, the creation did not")
            if error.code == .notDurable {
                #expect(kind == .openDirectory || kind == .syncDirectory)
                // In place and whole: it reads.
                #expect(outcome.readable)
            } else {
                #expect(outcome.bytes == nil, "call \(target) (\(kind)) left a key file")
            }
            #expect(!outcome.names.contains { $0.hasSuffix(".tmp") }, "call \(target) (\(kind)) left \(outcome.names)")
        }
        #expect(kinds.last == .syncDirectory, "\(kinds)")
    }
}

extension KeyFileFaultTests {
    @Test("a lock the file system refuses is said as such; a failed lock for reading says 'read', not 'write'")
    func lockFailures() throws {
        let scratch = try TemporaryDirectory("keyfile-faults")
        let keyFile = KeyFile(at: scratch.url.appendingPathComponent("secret-keys"))
        _ = try keyFile.create(now: Self.start)
        let before = try Data(contentsOf: keyFile.url)

        SystemCallFaults.arm(directory: scratch.path, only: .lock, target: 1, action: .fail(errno: ENOLCK))
        let unsupported = #expect(throws: KeyFileError.self) { _ = try keyFile.rotate(now: Self.start) }
        SystemCallFaults.disarm(directory: scratch.path)
        #expect(
            unsupported?.message.english.contains("does not support file locks") == true,
            "\(String(describing: unsupported))")
        #expect(unsupported?.message.indonesian.contains("tidak mendukung penguncian berkas") == true)
        #expect(try Data(contentsOf: keyFile.url) == before)

        SystemCallFaults.arm(directory: scratch.path, only: .lock, target: 1, action: .fail(errno: EIO))
        let copyFailure = #expect(throws: KeyFileError.self) {
            try keyFile.copy(to: scratch.url.appendingPathComponent("copy"))
        }
        SystemCallFaults.disarm(directory: scratch.path)
        #expect(
            copyFailure?.message.english.contains("Cannot read the key file") == true,
            "\(String(describing: copyFailure))")
        #expect(copyFailure?.message.indonesian.contains("tidak dapat dibaca") == true)
    }
}
