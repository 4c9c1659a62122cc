import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// A commit's log bytes encoded on its caller's thread (``LogFormat/EncodedCommit``) and placed in a
/// frame by the thread committing the group: the frames are byte for byte those of the encoder they
/// replace, which wrote each planned write field by field on the committer's thread (kept below as
/// the reference, as it was at `598a80e`).
@Suite("EncodedCommit")
struct EncodedCommitTests {
    /// One planned write as the old encoder took it: the mutation and its new version (`nil`: delete).
    struct ReferenceWrite {
        var mutation: Mutation
        var version: UInt64?
    }

    /// The encoder of `598a80e` (`LogFormat.appendCommit(_:to:_:)`), unchanged but for its input type.
    static func referenceAppend(
        _ writes: [ReferenceWrite], to frame: inout LogFormat.OpenFrame, _ writer: inout ByteWriter
    ) -> [LogFormat.ValueSpan?] {
        frame.commits += 1
        writer.u32(UInt32(writes.count))
        var spans: [LogFormat.ValueSpan?] = []
        for write in writes {
            if let version = write.version, case .put(let value, let indexes) = write.mutation.kind {
                writer.u8(1)
                writer.string8(write.mutation.key.collection)
                writer.string16(write.mutation.key.id)
                writer.u64(version)
                writer.u8(UInt8(indexes.count))
                for entry in indexes {
                    writer.u8(entry.isUnique ? 1 : 0)
                    writer.string8(entry.name)
                    writer.string16(entry.value)
                }
                writer.u32(UInt32(value.count))
                let offset = writer.count
                let checksum = value.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> UInt32 in
                    writer.raw(raw)
                    return CRC32C.checksum(raw)
                }
                spans.append(LogFormat.ValueSpan(offset: offset, length: value.count, checksum: checksum))
            } else {
                writer.u8(2)
                writer.string8(write.mutation.key.collection)
                writer.string16(write.mutation.key.id)
                spans.append(nil)
            }
        }
        return spans
    }

    static let alphabet: [Character] = ["a", "z", "0", "-", ".", "é", "ñ", "ß", "日", "本", "😀", "\u{301}", " "]

    static func text(_ random: inout SeededGenerator, maximum: Int) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...maximum, using: &random) {
            text.append(alphabet.randomElement(using: &random)!)
        }
        return text
    }

    /// A valid mutation: a put (value of 0–3,000 bytes, 0–4 index entries) or a delete.
    static func mutation(_ random: inout SeededGenerator) -> Mutation {
        let key = RecordKey(
            collection: "c" + text(&random, maximum: 8), id: text(&random, maximum: 40))
        if Int.random(in: 0..<4, using: &random) == 0 { return .delete(key, expecting: .any) }
        let indexes = (0..<Int.random(in: 0...4, using: &random)).map { _ in
            IndexEntry(
                name: "i" + text(&random, maximum: 6), value: text(&random, maximum: 30),
                isUnique: Bool.random(using: &random))
        }
        let value = Data(random.bytes(Int.random(in: 0...3000, using: &random)))
        return .put(key, value: value, indexes: indexes, expecting: .any)
    }

    /// A change as the group's check might decide it: a put gets a version, a delete removes its key
    /// or (the key missing) writes nothing.
    static func change(for mutation: Mutation, _ random: inout SeededGenerator) -> PlannedChange {
        guard case .put = mutation.kind else { return Bool.random(using: &random) ? .delete : .none }
        let versions: [UInt64] = [1, 2, 255, 256, 1 << 32, .max, UInt64.random(in: 1...UInt64.max, using: &random)]
        return .put(version: versions.randomElement(using: &random)!)
    }

    @Test("frames of commits encoded beforehand are byte-identical to the old encoder's, on 400 seeded groups")
    func byteIdentical() throws {
        for seed in UInt64(0)..<400 {
            var random = SeededGenerator(seed: 0x15_6000 + seed)
            let version: UInt32 = [1, 2, 3].randomElement(using: &random)!
            // Bytes before the frame (the frames of a group start anywhere in its buffer).
            let prefix = random.bytes(Int.random(in: 0...17, using: &random))
            var old = ByteWriter()
            var new = ByteWriter()
            old.raw(prefix)
            new.raw(prefix)
            var oldFrame = LogFormat.beginFrame(firstSequence: seed + 1, version: version, to: &old)
            var newFrame = LogFormat.beginFrame(firstSequence: seed + 1, version: version, to: &new)
            let commits = version == 1 ? 1 : Int.random(in: 1...6, using: &random)
            for _ in 0..<commits {
                let mutations = (0..<Int.random(in: 1...7, using: &random)).map { _ in Self.mutation(&random) }
                let changes = mutations.map { Self.change(for: $0, &random) }
                var writes: [ReferenceWrite] = []
                for (mutation, change) in zip(mutations, changes) {
                    switch change {
                    case .put(let version): writes.append(ReferenceWrite(mutation: mutation, version: version))
                    case .delete: writes.append(ReferenceWrite(mutation: mutation, version: nil))
                    case .none: break
                    }
                }
                let oldSpans = Self.referenceAppend(writes, to: &oldFrame, &old)
                let encoded = LogFormat.EncodedCommit(mutations)
                let newSpans = LogFormat.appendCommit(encoded, changes: changes, to: &newFrame, &new)
                // The old encoder's spans were per write; the new one's per mutation, nil where nothing is written.
                let written = zip(newSpans, changes).filter { $0.1 != .none }.map(\.0)
                #expect(written.count == oldSpans.count, "seed \(seed)")
                for (a, b) in zip(written, oldSpans) {
                    #expect(
                        a?.offset == b?.offset && a?.length == b?.length && a?.checksum == b?.checksum, "seed \(seed)")
                }
                for (span, change) in zip(newSpans, changes) {
                    if case .put = change { #expect(span != nil, "seed \(seed)") } else { #expect(span == nil) }
                }
            }
            LogFormat.endFrame(oldFrame, &old)
            LogFormat.endFrame(newFrame, &new)
            // Compared as a whole, reported by the first differing byte (not the whole buffers).
            let mismatch = zip(new.bytes, old.bytes).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(
                new.count == old.count && mismatch == nil,
                "seed \(seed): first difference at \(String(describing: mismatch))")
        }
    }

    @Test("a frame of commits encoded beforehand decodes to the planned writes, values where the spans say")
    func decodes() throws {
        for seed in UInt64(0)..<100 {
            var random = SeededGenerator(seed: 0x15_6100 + seed)
            var writer = ByteWriter()
            var frame = LogFormat.beginFrame(firstSequence: 7, version: 3, to: &writer)
            var expected: [[(Mutation, PlannedChange, LogFormat.ValueSpan?)]] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let mutations = (0..<Int.random(in: 1...5, using: &random)).map { _ in Self.mutation(&random) }
                let changes = mutations.map { Self.change(for: $0, &random) }
                let spans = LogFormat.appendCommit(
                    LogFormat.EncodedCommit(mutations), changes: changes, to: &frame, &writer)
                expected.append(
                    zip(zip(mutations, changes), spans).filter { $0.0.1 != .none }.map { ($0.0.0, $0.0.1, $0.1) })
            }
            LogFormat.endFrame(frame, &writer)
            let result = writer.bytes.withUnsafeBytes { LogFormat.decodeFrame($0, at: 0, version: 3) }
            guard case .frame(let size, let commits) = result else {
                Issue.record("seed \(seed): \(result)")
                continue
            }
            #expect(size == writer.count)
            #expect(commits.map(\.sequence) == Array(7..<7 + UInt64(expected.count)))
            for (commit, writes) in zip(commits, expected) {
                #expect(commit.mutations.count == writes.count, "seed \(seed)")
                for (decoded, (mutation, change, span)) in zip(commit.mutations, writes) {
                    #expect(decoded.key == mutation.key, "seed \(seed)")
                    switch (change, mutation.kind) {
                    case (.put(let version), .put(let value, let indexes)):
                        #expect(decoded.version == version)
                        #expect(decoded.indexes == indexes)
                        #expect(decoded.valueOffset == span?.offset && decoded.valueLength == value.count)
                        #expect(
                            Array(writer.bytes[decoded.valueOffset..<decoded.valueOffset + value.count]) == Array(value)
                        )
                        #expect(span?.checksum == CRC32C.checksum(Array(value)))
                    default:
                        #expect(decoded.version == nil, "seed \(seed)")
                    }
                }
            }
        }
    }
}
