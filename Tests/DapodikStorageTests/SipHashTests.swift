import Testing

@testable import DapodikStorage

@Suite("SipHash-2-4")
struct SipHashTests {
    /// The reference implementation's key 00 01 … 0f.
    func hasher() -> SipHasher {
        SipHasher(key0: 0x0706_0504_0302_0100, key1: 0x0f0e_0d0c_0b0a_0908)
    }

    @Test("matches the vectors of the SipHash paper (Appendix A) and its reference implementation")
    func vectors() {
        var empty = hasher()
        empty.append(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(empty.finalize() == 0x726f_db47_dd0e_0e31)
        var fifteen = hasher()
        let message = (0..<15).map { UInt8($0) }
        message.withUnsafeBytes { fifteen.append($0) }
        #expect(fifteen.finalize() == 0xa129_ca61_49be_45e5)
    }

    @Test("is the same fed byte by byte, in pieces, or at once", arguments: [1, 3, 7, 8, 9, 64])
    func pieces(split: Int) {
        let message = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var whole = hasher()
        message.withUnsafeBytes { whole.append($0) }
        var pieces = hasher()
        var start = 0
        while start < message.count {
            let end = min(message.count, start + split)
            Array(message[start..<end]).withUnsafeBytes { pieces.append($0) }
            start = end
        }
        #expect(pieces.finalize() == whole.finalize())
    }
}
