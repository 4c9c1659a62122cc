import Testing

@testable import DapodikStorage

@Suite("CRC-32C")
struct CRC32CTests {
    @Test("matches the RFC 3720 Appendix B.4 vectors and the '123456789' check value")
    func vectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    }

    @Test("is the same computed in pieces as at once, at every split")
    func continuation() {
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 5) }
        let whole = CRC32C.checksum(bytes)
        for split in 0...bytes.count {
            #expect(CRC32C.checksum(bytes[split...], continuing: CRC32C.checksum(bytes[..<split])) == whole)
        }
    }
}
