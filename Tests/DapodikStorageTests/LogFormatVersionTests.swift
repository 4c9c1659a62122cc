import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// Log format 2: a commit group is one checksummed frame, so a group cut short by a crash is a torn
/// tail, never mid-log corruption (issue 10, defect 3); logs of format 1 are still read.
@Suite("File store log format", .timeLimit(.minutes(10)))
struct LogFormatVersionTests {
    func logURL(_ scratch: TemporaryDirectory) -> URL { scratch.store.appendingPathComponent("log-1") }

    func put(_ n: Int) -> [Mutation] {
        [
            .put(
                key("item", "\(n)"), value: bytes("value \(n)"), indexes: [.unique("item.number", "\(n)")],
                expecting: .mustNotExist)
        ]
    }

    @Test("a group whose first bytes never reached the disk opens as a torn tail: the group is gone, nothing else")
    func tornGroupIsATornTail() async throws {
        let scratch = try TemporaryDirectory("storage")
        let groupStart: Int
        do {
            let store = try FileRecordStore(directory: scratch.store)
            for n in 1...3 { try await store.commit(put(n)) }
            groupStart = try logicalLog(logURL(scratch)).count
            store.holdCommits()
            let tasks = (4...6).map { n in Task { try await store.commit(put(n)) } }
            while store.queuedCommitCount < 3 { await Task.yield() }
            store.resumeCommits()
            for task in tasks { _ = try await task.value }
            store.close()
        }
        // A power loss that kept the group's later sectors and lost its first, before the group's sync
        // returned: none of it was acknowledged.
        try setAcknowledgedSequence(3, in: scratch.store)
        var log = try logicalLog(logURL(scratch))
        for index in groupStart..<groupStart + 24 { log[index] = 0 }
        try log.write(to: logURL(scratch))

        let store = try FileRecordStore(directory: scratch.store)
        for n in 1...6 {
            #expect((try await store.record(for: key("item", "\(n)")) != nil) == (n <= 3), "item \(n)")
        }
        #expect(try logicalLog(logURL(scratch)).count == groupStart)
        #expect(try await store.commit(put(4)) == 4)
    }

    /// Rewrites a format 2 log whose frames each hold one commit as a format 1 log.
    func convertToFormat1(_ url: URL) throws {
        let log = [UInt8](try logicalLog(url))
        let header = try LogFormat.parseHeader(log, path: url.path)
        var output = LogFormat.header(generation: header.generation, baseSequence: header.base, version: 1)
        var offset = LogFormat.headerSize
        while offset < log.count {
            let length =
                Int(log[offset]) | Int(log[offset + 1]) << 8 | Int(log[offset + 2]) << 16 | Int(log[offset + 3]) << 24
            let payload = Array(log[offset + 8..<offset + 8 + length])
            #expect(payload[8..<12] == [1, 0, 0, 0], "one commit per frame")
            let converted = Array(payload[0..<8]) + Array(payload[12...])
            let lengthField = withUnsafeBytes(of: UInt32(converted.count).littleEndian) { Array($0) }
            let checksum = CRC32C.checksum(converted, continuing: CRC32C.checksum(lengthField))
            output += lengthField + withUnsafeBytes(of: checksum.littleEndian) { Array($0) } + converted
            offset += 8 + length
        }
        try Data(output).write(to: url)
    }

    @Test("a store whose log is of format 1 opens, takes commits and groups, and compaction moves it to format 3")
    func readsFormat1() async throws {
        let scratch = try TemporaryDirectory("storage")
        do {
            let store = try FileRecordStore(directory: scratch.store)
            for n in 1...3 { try await store.commit(put(n)) }
            store.close()
        }
        try convertToFormat1(logURL(scratch))
        do {
            let store = try FileRecordStore(directory: scratch.store)
            #expect(text(try await store.record(for: key("item", "2"))) == "value 2")
            store.holdCommits()
            let tasks = (4...6).map { n in Task { try await store.commit(put(n)) } }
            while store.queuedCommitCount < 3 { await Task.yield() }
            store.resumeCommits()
            for task in tasks { _ = try await task.value }
            #expect(try await store.changes(after: 0).map(\.sequence) == [1, 2, 3, 4, 5, 6])
            store.close()
        }
        #expect(try LogFormat.parseHeader([UInt8](try Data(contentsOf: logURL(scratch))), path: "").version == 1)
        let store = try FileRecordStore(directory: scratch.store)
        for n in 1...6 { #expect(text(try await store.record(for: key("item", "\(n)"))) == "value \(n)") }
        try await store.compact()
        let log2 = scratch.store.appendingPathComponent("log-2")
        #expect(
            try LogFormat.parseHeader([UInt8](try Data(contentsOf: log2)), path: "").version == LogFormat.formatVersion)
        #expect(try await store.commit(put(7)) == 7)
        store.close()
        // The commit after the compaction was written in the new log's format (before issue 15 it
        // was written in format 1 into a format 2 log, and reopening cut it off as a torn tail).
        let reopened = try FileRecordStore(directory: scratch.store)
        for n in 1...7 { #expect(text(try await reopened.record(for: key("item", "\(n)"))) == "value \(n)") }
    }
}
