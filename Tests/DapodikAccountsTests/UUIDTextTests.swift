import DapodikAccounts
import DapodikTestSupport
import Foundation
import Testing

/// `UUID.text(uppercase:)` writes exactly Foundation's `uuidString` (upper case) and its lower-case form,
/// which every stored key, index value and record of an existing data directory holds.
@Suite("UUID text")
struct UUIDTextTests {
    @Test("the same characters as uuidString and uuidString.lowercased() for 10,000 seeded UUIDs and the edges")
    func sameAsFoundation() {
        var generator = SeededGenerator(seed: 0x5EED_0015)
        var uuids = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))]
        uuids.append(UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)))
        for _ in 0..<10_000 {
            var bytes = [UInt8](repeating: 0, count: 16)
            for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
            uuids.append(
                UUID(
                    uuid: (
                        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                        bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                    )))
        }
        for uuid in uuids {
            #expect(uuid.text(uppercase: true) == uuid.uuidString)
            #expect(uuid.text() == uuid.uuidString.lowercased())
            #expect(AccountID(uuid).description == uuid.uuidString.lowercased())
        }
    }
}
