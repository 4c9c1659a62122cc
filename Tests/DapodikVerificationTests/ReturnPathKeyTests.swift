import DapodikAccounts
import DapodikCodes
import DapodikCrypto
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// The return address is tagged with a return-path subkey keyed once per service since issue 15:
/// the same addresses as deriving the subkey and keying the HMAC afresh for every message, and
/// the same messages found from them, on many seeded ids and key rings.
@Suite(.timeLimit(.minutes(10)))
struct ReturnPathKeyTests {
    /// The return address as it was computed before: the subkey derived and the HMAC keyed per message.
    private static func oldReturnPath(_ id: UUID, configuration: VerificationService.Configuration) -> EmailAddress? {
        guard let prefix = configuration.returnPathLocalPart else { return nil }
        let ring = configuration.keyRing
        guard let key = ring.subkey(for: VerificationService.returnPathPurpose, of: ring.currentKeyID) else {
            return nil
        }
        let hex = VerificationService.tokenHex(id)
        let tag = Crypto.hmacSHA256(key: key, message: Array(hex.utf8)).prefix(VerificationService.returnPathTagLength)
        return try? EmailAddress(
            prefix + "+" + hex + VerificationService.tokenHex(tag) + "@" + configuration.sender.domain)
    }

    @Test("return addresses and the messages they name are as before, on 3,000 seeded ids and 30 key rings")
    func sameAddressesAsBefore() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let open = try #require(
            try await harness.store.record(
                whereUnique: VerificationChallenge.openIndex.name, equals: ptk.id.description))
        let challenge = try VerificationChallenge.decodedRecord(open.value, version: open.version)
        let record = try #require(
            try await harness.store.records(
                where: OutboxMessage.challengeIndex.name, equals: challenge.id.description
            ).first)
        var message = try OutboxMessage.decodedRecord(record.value, version: record.version)
        var generator = SeededGenerator(seed: 0x15_0A7B)
        var found = 0
        for ring in 0..<30 {
            let keys = (0...Int.random(in: 0...2, using: &generator)).map { index in
                try! CodeKey(id: CodeKeyID("k\(ring)-\(index)"), material: generator.bytes(32 + index))
            }
            let service = harness.sibling {
                $0.keyRing = try! CodeKeyRing(current: keys[0], alsoAccepting: Array(keys.dropFirst()))
                $0.returnPathLocalPart = ring % 10 == 9 ? nil : ["bounce", "Pantul", "b"][ring % 3]
            }
            // The same ids under a ring where the current key is another one (a rotation).
            let rotated =
                keys.count > 1
                ? harness.sibling {
                    $0.keyRing = try! CodeKeyRing(current: keys[1], alsoAccepting: [keys[0]])
                    $0.returnPathLocalPart = service.configuration.returnPathLocalPart
                } : service
            for _ in 0..<100 {
                message.id = generator.uuid()
                let address = service.returnPath(for: message)
                #expect(address == Self.oldReturnPath(message.id, configuration: service.configuration))
                guard let address else { continue }
                #expect(service.outboxID(fromReturnPath: address.value) == message.id)
                #expect(rotated.outboxID(fromReturnPath: address.value) == message.id)
                #expect(rotated.outboxID(fromReturnPath: address.value.uppercased()) == message.id)
                // One tag digit changed: no message.
                var damaged = Array(address.value.utf8)
                let at = try #require(damaged.firstIndex(of: UInt8(ascii: "@")))
                damaged[at - 1] = damaged[at - 1] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
                #expect(service.outboxID(fromReturnPath: String(decoding: damaged, as: UTF8.self)) == nil)
                found += 1
            }
        }
        #expect(found >= 2_700)
    }
}
