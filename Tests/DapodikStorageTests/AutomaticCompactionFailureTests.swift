import DapodikLanguage
import DapodikLocking
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// An automatic compaction that fails for good (here: more distinct index names among the live
/// records than a snapshot numbers, 65,536) is reported once to
/// ``FileRecordStore/Options/onAutomaticCompactionFailure`` and waits until the log has doubled
/// before it is tried again, instead of being tried, and failing, after every commit.
@Suite("File store automatic compaction failures", .timeLimit(.minutes(10)))
struct AutomaticCompactionFailureTests {
    @Test("a compaction that cannot succeed is reported, not tried after every commit; nothing is lost")
    func reportedAndDeferred() async throws {
        let scratch = try TemporaryDirectory("storage")
        let failures = LockedValue<[StoreError]>([])
        var options = FileRecordStore.Options()
        options.compactionMinimumLogBytes = 1 << 20
        options.compactionMaximumLogBytes = 1 << 20
        options.onAutomaticCompactionFailure = { error in failures.withLock { $0.append(error) } }
        let store = try FileRecordStore(directory: scratch.store, options: options)
        defer { store.close() }
        // 21 commits of 100 records, each with 32 index names of its own: 67,200 names, past the limit
        // before the log reaches the threshold.
        var name = 0
        for batch in 0..<21 {
            try await store.commit(
                (0..<100).map { record in
                    .put(
                        key("t", "\(batch)-\(record)"), value: Data(),
                        indexes: (0..<32).map { _ in
                            name += 1
                            return .nonUnique("name\(name)", "v")
                        }, expecting: .mustNotExist)
                })
        }
        // Grow the log from under 1 MiB to about 3.2 MiB, 40 KB a commit: past the threshold every one of
        // some 55 commits would try a compaction; with the log doubling between tries, at most two do.
        for n in 0..<60 {
            try await store.commit(.put(key("x", "\(n)"), value: Data(count: 40_000), expecting: .any))
        }
        let reported = failures.withLock { $0 }
        #expect((1...2).contains(reported.count), "\(reported.map(\.code))")
        #expect(reported.first?.code == .invalidInput)
        #expect(reported.first?.message.english.contains("65,536") == true)
        #expect(store.generation == 1)
        let explicit = await #expect(throws: StoreError.self) { try await store.compact() }
        #expect(explicit?.code == .invalidInput)
        // Nothing was lost, and the store takes commits as before.
        #expect(try await store.record(for: key("t", "20-99"))?.indexes.count == 32)
        #expect(try await store.record(for: key("x", "59"))?.value.count == 40_000)
        #expect(try await store.commit(.put(key("x", "last"), value: Data(), expecting: .mustNotExist)) == 82)
    }
}
