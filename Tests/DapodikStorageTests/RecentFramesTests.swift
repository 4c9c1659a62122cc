import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// The file store's memory of the groups it committed last (``RecentFrames``): values just committed
/// are read back without the file, and only while the table still names their place in the current
/// log; another handle's commits and compactions, and this handle's, are read as before.
@Suite("RecentFrames", .timeLimit(.minutes(10)))
struct RecentFramesTests {
    /// Flips one byte of the first occurrence of `marker` in a file, in place.
    func damage(_ file: URL, at marker: String) throws {
        var contents = try Data(contentsOf: file)
        let range = try #require(contents.range(of: bytes(marker)))
        contents[range.lowerBound] ^= 0x01
        let handle = try FileHandle(forWritingTo: file)
        try handle.write(contentsOf: contents)
        try handle.close()
    }

    func log(_ scratch: TemporaryDirectory, generation: Int = 1) -> URL {
        scratch.store.appendingPathComponent("log-\(generation)")
    }

    @Test("a value just committed is read from memory: damage on disk after its flush is not read")
    func readsFromMemory() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        try await store.commit(.put(key("a", "1"), value: bytes("VALUE-ONE-1"), expecting: .mustNotExist))
        try damage(log(scratch), at: "VALUE-ONE-1")
        #expect(text(try await store.record(for: key("a", "1"))) == "VALUE-ONE-1")
        #expect(store.recentFrameCount == 1)
        // Without the memory, the same damage is found by the read's checksum.
        var options = FileRecordStore.Options()
        options.recentFrameBytes = 0
        let other = try TemporaryDirectory("storage")
        let plain = try FileRecordStore(directory: other.store, options: options)
        try await plain.commit(.put(key("a", "1"), value: bytes("VALUE-ONE-1"), expecting: .mustNotExist))
        try damage(log(other), at: "VALUE-ONE-1")
        let error = await #expect(throws: StoreError.self) { _ = try await plain.record(for: key("a", "1")) }
        #expect(error?.code == .corrupted)
        #expect(plain.recentFrameCount == 0)
    }

    @Test("the oldest groups leave memory once the bound is passed, and their values are read from the file")
    func bounded() async throws {
        let scratch = try TemporaryDirectory("storage")
        var options = FileRecordStore.Options()
        options.recentFrameBytes = 4096
        let store = try FileRecordStore(directory: scratch.store, options: options)
        try await store.commit(.put(key("a", "0"), value: bytes("FIRST-VALUE"), expecting: .mustNotExist))
        try damage(log(scratch), at: "FIRST-VALUE")
        #expect(text(try await store.record(for: key("a", "0"))) == "FIRST-VALUE")
        for n in 1...20 {
            try await store.commit(
                .put(key("a", "\(n)"), value: Data(repeating: UInt8(n), count: 500), expecting: .mustNotExist))
        }
        #expect(store.recentFrameByteCount <= 4096)
        let error = await #expect(throws: StoreError.self) { _ = try await store.record(for: key("a", "0")) }
        #expect(error?.code == .corrupted)
        for n in 1...20 {
            #expect(try await store.record(for: key("a", "\(n)"))?.value == Data(repeating: UInt8(n), count: 500))
        }
    }

    @Test("another handle's update, delete and compaction are read, not the value this handle committed")
    func otherHandle() async throws {
        let scratch = try TemporaryDirectory("storage")
        let first = try FileRecordStore(directory: scratch.store)
        let second = try FileRecordStore(directory: scratch.store)
        try await first.commit(.put(key("a", "1"), value: bytes("first"), expecting: .mustNotExist))
        try await first.commit(.put(key("a", "2"), value: bytes("kept"), expecting: .mustNotExist))
        #expect(text(try await first.record(for: key("a", "1"))) == "first")
        try await second.commit(.put(key("a", "1"), value: bytes("second"), expecting: .version(1)))
        #expect(text(try await first.record(for: key("a", "1"))) == "second")
        #expect(text(try await first.record(for: key("a", "2"))) == "kept")
        try await second.commit(.delete(key("a", "2"), expecting: .version(1)))
        #expect(try await first.record(for: key("a", "2")) == nil)
        try await first.commit(.put(key("a", "3"), value: bytes("three"), expecting: .mustNotExist))
        #expect(first.recentFrameCount == 3)
        try await second.compact()
        #expect(text(try await first.record(for: key("a", "3"))) == "three")
        #expect(first.generation == 2)
        #expect(first.recentFrameCount == 0)
        // The new log starts where the old one did: its first group lies at offsets the old groups had.
        try await second.commit(.put(key("a", "3"), value: bytes("THREE"), expecting: .version(1)))
        try await first.commit(.put(key("a", "4"), value: bytes("four"), expecting: .mustNotExist))
        #expect(text(try await first.record(for: key("a", "3"))) == "THREE")
        #expect(text(try await first.record(for: key("a", "4"))) == "four")
    }

    @Test("after this handle's compaction nothing is kept, and values are read from the new files")
    func ownCompaction() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        try await store.commit(.put(key("a", "1"), value: bytes("ONE-VALUE"), expecting: .mustNotExist))
        #expect(store.recentFrameCount == 1)
        try await store.compact()
        #expect(store.recentFrameCount == 0)
        try damage(scratch.store.appendingPathComponent("snapshot-2"), at: "ONE-VALUE")
        let error = await #expect(throws: StoreError.self) { _ = try await store.record(for: key("a", "1")) }
        #expect(error?.code == .corrupted)
        try await store.commit(.put(key("a", "2"), value: bytes("two"), expecting: .mustNotExist))
        #expect(text(try await store.record(for: key("a", "2"))) == "two")
        #expect(store.recentFrameCount == 1)
    }

    @Test("two handles updating the same records in a random order always read the latest value")
    func interleavedHandles() async throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        var random = SeededGenerator(seed: seed)
        let scratch = try TemporaryDirectory("storage")
        var options = FileRecordStore.Options()
        options.recentFrameBytes = 2048
        options.compactionMinimumLogBytes = 16 << 10
        let handles = [
            try FileRecordStore(directory: scratch.store, options: options),
            try FileRecordStore(directory: scratch.store, options: options),
        ]
        var model: [Int: (version: UInt64, value: Data)] = [:]
        for step in 0..<300 {
            let handle = handles[Int.random(in: 0...1, using: &random)]
            let id = Int.random(in: 0..<6, using: &random)
            if Bool.random(using: &random) {
                let value = Data(
                    "step \(step) id \(id) ".utf8
                        + (0..<Int.random(in: 0..<300, using: &random)).map { _ in
                            UInt8.random(in: 0...255, using: &random)
                        })
                let expectation: DapodikStorage.Expectation = model[id].map { .version($0.version) } ?? .mustNotExist
                try await handle.commit(.put(key("r", "\(id)"), value: value, expecting: expectation))
                model[id] = ((model[id]?.version ?? 0) + 1, value)
            } else if Int.random(in: 0..<20, using: &random) == 0 {
                try await handle.compact()
            }
            let read = try await handle.record(for: key("r", "\(id)"))
            #expect(read?.value == model[id]?.value, "seed \(seed), step \(step)")
            #expect(read?.version == model[id]?.version, "seed \(seed), step \(step)")
        }
        #expect(handles.allSatisfy { $0.recentFrameByteCount <= 2048 })
    }

    @Test("kept groups: values found by location and checksum, the oldest dropped first, a log not continued dropped")
    func keptGroups() {
        let seed = UInt64.random(in: 0...UInt64.max)
        var random = SeededGenerator(seed: seed)
        var frames = RecentFrames(capacity: 3000)
        var written: [(start: UInt64, bytes: [UInt8])] = []
        var end: UInt64 = 64
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 1...900, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            frames.add(start: end, bytes: bytes)
            written.append((end, bytes))
            end += UInt64(bytes.count) + UInt64.random(in: 0...1, using: &random) * 100
            #expect(frames.byteCount <= 3000, "seed \(seed)")
            // The groups kept are the newest ones that fit.
            var kept = 0
            var total = 0
            for group in written.reversed() {
                guard total + group.bytes.count <= 3000 else { break }
                total += group.bytes.count
                kept += 1
            }
            #expect(frames.count == kept, "seed \(seed)")
            for (index, group) in written.enumerated().suffix(6) {
                let from = Int.random(in: 0..<group.bytes.count, using: &random)
                let length = Int.random(in: 0...(group.bytes.count - from), using: &random)
                let value = Array(group.bytes[from..<from + length])
                let location = ValueLocation(
                    inSnapshot: false, offset: group.start + UInt64(from), length: UInt32(length),
                    checksum: CRC32C.checksum(value))
                let found = frames.value(at: location)
                #expect(found == (index >= written.count - kept ? Data(value) : nil), "seed \(seed)")
                let wrong = ValueLocation(
                    inSnapshot: false, offset: location.offset, length: location.length,
                    checksum: location.checksum ^ 1)
                #expect(frames.value(at: wrong) == nil, "seed \(seed)")
                let inSnapshot = ValueLocation(
                    inSnapshot: true, offset: location.offset, length: location.length, checksum: location.checksum)
                #expect(frames.value(at: inSnapshot) == nil, "seed \(seed)")
            }
            let past = ValueLocation(
                inSnapshot: false, offset: end + 10, length: 0, checksum: CRC32C.checksum([UInt8]()))
            #expect(frames.value(at: past) == nil, "seed \(seed)")
        }
        // A group that does not follow the last one: the log was not continued.
        frames.add(start: 64, bytes: [1, 2, 3])
        #expect(frames.count == 1)
        #expect(frames.byteCount == 3)
        #expect(
            frames.value(
                at: ValueLocation(inSnapshot: false, offset: 65, length: 2, checksum: CRC32C.checksum([2, 3])))
                == Data([2, 3]))
        frames.add(start: 67, bytes: [UInt8](repeating: 0, count: 3001))
        #expect(frames.count == 1)
        frames.removeAll()
        #expect(frames.count == 0)
        #expect(frames.byteCount == 0)
    }
}
