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
            uuids.append(generator.uuid())
        }
        for uuid in uuids {
            #expect(uuid.text(uppercase: true) == uuid.uuidString)
            #expect(uuid.text() == uuid.uuidString.lowercased())
            #expect(AccountID(uuid).description == uuid.uuidString.lowercased())
        }
    }
}
