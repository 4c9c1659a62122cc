import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Injected I/O failures (``SystemCallFaults``). Serialized: the injector is one per process (it
/// counts only calls inside the armed directory, so other suites are not disturbed).
@Suite("File store I/O faults", .serialized, .timeLimit(.minutes(3)))
struct FaultInjectionTests {
    /// A store with items 1...count, closed.
    static func makeStore(_ directory: URL, count: Int) async throws {
        let store = try FileRecordStore(directory: directory)
        defer { store.close() }
        for n in 1...count {
            try await store.commit(
                .put(
                    key("item", "\(n)"), value: bytes("value \(n)"), indexes: [.unique("item.number", "\(n)")],
                    expecting: .mustNotExist))
        }
    }

    struct SwitchFault: Sendable, CustomTestStringConvertible {
        let kind: SystemCallFaults.Kind
        let target: Int
        let errno: Int32
        /// The generation CURRENT names afterwards.
        let generation: UInt64
        var testDescription: String { "\(kind) #\(target) errno \(errno)" }
    }

    @Test(
        "an I/O error at or after the compaction's manifest switch keeps both generations and poisons the store",
        arguments: [
            SwitchFault(kind: .syncDirectory, target: 2, errno: EIO, generation: 2),
            SwitchFault(kind: .openDirectory, target: 2, errno: EMFILE, generation: 2),
            SwitchFault(kind: .rename, target: 1, errno: EIO, generation: 1),
            SwitchFault(kind: .unlink, target: 1, errno: EIO, generation: 2),
        ])
    func compactionSwitchFailure(fault: SwitchFault) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.makeStore(scratch.store, count: 10)
        let store = try FileRecordStore(directory: scratch.store)
        SystemCallFaults.arm(
            directory: scratch.store.path, only: fault.kind, target: fault.target, action: .fail(errno: fault.errno))
        let error = await #expect(throws: StoreError.self) { try await store.compact() }
        let tally = SystemCallFaults.disarm()
        #expect(tally.hitKind == fault.kind)
        #expect(error?.errno == fault.errno)
        // The store stops: whichever generation CURRENT names, this handle no longer knows it.
        let poisoned = await #expect(throws: StoreError.self) { _ = try await store.record(for: key("item", "1")) }
        #expect(poisoned?.code == .poisoned)
        store.close()

        let reopened = try FileRecordStore(directory: scratch.store)
        defer { reopened.close() }
        #expect(reopened.generation == fault.generation)
        for n in 1...10 {
            #expect(text(try await reopened.record(for: key("item", "\(n)"))) == "value \(n)")
        }
        #expect(try await reopened.commit(.put(key("item", "11"), value: Data(), expecting: .mustNotExist)) == 11)
    }
}
