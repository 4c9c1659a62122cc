import DapodikLocking
import DapodikVerification
import Foundation
import Testing

/// Codes in the durable outbox: never in the clear, sealed with a key derived from the code key
/// ring (or an explicit one), and readable across key rotation while their key is active.
@Suite(.timeLimit(.minutes(10)))
struct OutboxSealTests {
    /// Every byte the store holds: the files of a file store, the values of an in-memory one.
    func rawStoreBytes(_ harness: Harness) async throws -> [UInt8] {
        if let directory = harness.directory {
            var bytes: [UInt8] = []
            let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
            while let file = files?.nextObject() as? URL {
                if let data = try? Data(contentsOf: file) { bytes += data }
            }
            return bytes
        }
        return try await harness.store.changes(after: 0, limit: Int.max).flatMap { batch in
            batch.puts.flatMap { Array($0.value) }
        }
    }

    /// Whether `code` occurs as a token of its own (not inside a longer run of digits).
    func containsToken(_ code: String, in bytes: [UInt8]) -> Bool {
        let needle = Array(code.utf8)
        func isDigit(_ index: Int) -> Bool {
            bytes.indices.contains(index) && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if Array(bytes[start..<start + needle.count]) == needle, !isDigit(start - 1), !isDigit(start + needle.count)
            {
                return true
            }
        }
        return false
    }

    @Test(
        "the store never holds a queued code in the clear, before or after its e-mail goes out",
        arguments: StoreKind.allCases)
    func noClearCodeInStore(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind, sendImmediately: false)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let whileQueued = try await rawStoreBytes(harness)
        #expect(try await harness.service.drainOutbox().handedOver == 1)
        let code = try #require(harness.latestCode(to: account.email!))
        let messageID = try #require(harness.transport.deliveries.first?.message.messageID)
        let localPart = String(messageID.description.prefix { $0 != "@" }).trimmingCharacters(in: ["<"])
        // The snapshot does hold the queued message (its Message-ID), just not the code.
        #expect(
            String(decoding: whileQueued, as: UTF8.self).contains(localPart), "the scan must cover the outbox")
        #expect(!containsToken(code, in: whileQueued))
        #expect(!containsToken(code, in: try await rawStoreBytes(harness)))
    }

    @Test("a code issued under an old key still verifies after rotation, while that key is active")
    func rotationKeepsOldCodes() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        let code = try await harness.requestedCode(for: account)
        let rotated = try harness.sibling { $0.keyRing = try $0.keyRing.rotating(to: .random(id: CodeKeyID("k2"))) }
        #expect(rotated.configuration.keyRing.currentKeyID == (try CodeKeyID("k2")))
        #expect(try await rotated.submitCode(code, for: account.id, by: account.id).outcome == .verified)
    }

    @Test("once the old key is retired, its codes are refused as uncheckable, without counting an attempt")
    func retiredKeyRefusesCodes() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        let code = try await harness.requestedCode(for: account)
        let retired = try harness.sibling {
            $0.keyRing = try $0.keyRing.rotating(to: .random(id: CodeKeyID("k2"))).retiring(CodeKeyID("k1"))
        }
        #expect(try await retired.submitCode(code, for: account.id, by: account.id).outcome == .uncheckable)
    }

    @Test("a code queued before a rotation is sent by a dispatcher with the rotated ring, and verifies")
    func queuedAcrossRotation() async throws {
        let harness = try Harness.make(.memory, sendImmediately: false)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let rotated = try harness.sibling { $0.keyRing = try $0.keyRing.rotating(to: .random(id: CodeKeyID("k2"))) }
        #expect(try await rotated.drainOutbox().handedOver == 1)
        let code = try #require(harness.latestCode(to: account.email!))
        #expect(try await rotated.submitCode(code, for: account.id, by: account.id).outcome == .verified)
    }

    @Test("a code queued under a key retired before it was sent is marked expired, not sent with a dead code")
    func queuedUnderRetiredKey() async throws {
        let harness = try Harness.make(.memory, sendImmediately: false)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let retired = try harness.sibling {
            $0.keyRing = try $0.keyRing.rotating(to: .random(id: CodeKeyID("k2"))).retiring(CodeKeyID("k1"))
        }
        #expect(try await retired.drainOutbox().expired == 1)
        #expect(harness.transport.deliveries.isEmpty)
        let abandoned = try await harness.service.events().last
        #expect(abandoned?.kind == .deliveryAbandoned)
        #expect(abandoned?.detail?.contains("code key k1 retired") == true)
        #expect(try await retired.deliveryStatus(for: account.id, by: account.id).state == .expired)
    }

    @Test("explicit seal keys keep working, and either kind of seal opens under a configuration that has its key")
    func explicitAndDerivedSealsInteroperate() async throws {
        let alerts = LockedValue(0)
        let harness = try Harness.make(.memory, sendImmediately: false)
        let explicitKey = OutboxSealKey.random(id: "seal-2026")
        let explicit = harness.sibling {
            $0.outboxSealKeys = [explicitKey]
            $0.onMisconfiguration = { _ in alerts.withLock { $0 += 1 } }
        }
        let first = try await harness.createSchool()
        let second = try await harness.createSchool(npsn: "20100102", email: "op2@sdn2.sch.id", username: "op2")
        _ = try await explicit.requestCode(for: first.id, by: first.id)  // sealed with the explicit key
        _ = try await harness.service.requestCode(for: second.id, by: second.id)  // sealed with the derived key

        // A configuration without the explicit key cannot open the first: an alert, not a lost code.
        let derivedOnly = harness.sibling { $0.onMisconfiguration = { _ in alerts.withLock { $0 += 1 } } }
        let summary = try await derivedOnly.drainOutbox()
        #expect(summary.handedOver == 1)
        #expect(summary.misconfigured == 1)
        #expect(alerts.withLock { $0 } == 1)
        #expect(harness.latestCode(to: first.email!) == nil)

        // The explicit configuration (which also holds the key ring) sends it once the retry is due.
        harness.clock.advance(by: 5 * 60)
        #expect(try await explicit.drainOutbox().handedOver == 1)
        for account in [first, second] {
            let code = try #require(harness.latestCode(to: account.email!))
            #expect(try await harness.service.submitCode(code, for: account.id, by: account.id).outcome == .verified)
        }
    }

    @Test("a dispatcher whose key has the same id but other material mails nothing and raises an alert")
    func mismatchedKeyIsLoud() async throws {
        let alerts = LockedValue<[String]>([])
        let harness = try Harness.make(.memory, sendImmediately: false)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        // Another key file that also calls its key k1: the seal's tag does not match.
        let diverged = try harness.sibling {
            $0.keyRing = try CodeKeyRing(current: .random(id: CodeKeyID("k1")))
            $0.onMisconfiguration = { error in alerts.withLock { $0.append(error.detail) } }
        }
        let summary = try await diverged.drainOutbox()
        #expect(summary.handedOver == 0)
        #expect(summary.misconfigured == 1)
        #expect(harness.transport.deliveries.isEmpty, "no wrong digits are mailed")
        #expect(alerts.withLock { $0 }.contains { $0.contains("k1") && $0.contains("does not open") })
        // The right key still sends it once the retry is due, and the code verifies.
        harness.clock.advance(by: 5 * 60)
        #expect(try await harness.service.drainOutbox().handedOver == 1)
        let code = try #require(harness.latestCode(to: account.email!))
        #expect(try await harness.service.submitCode(code, for: account.id, by: account.id).outcome == .verified)
    }
}
