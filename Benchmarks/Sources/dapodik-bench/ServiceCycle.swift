import BenchmarkHarness
import DapodikAccounts
import DapodikCodes
import DapodikMail
import DapodikStorage
import DapodikVerification
import Foundation
import Synchronization

/// Scenario 1: the whole verification cycle through `VerificationService` on the in-memory store (or,
/// with `--store file`, on a `FileRecordStore`: the path a deployment runs):
/// `requestCode` (challenge, sealed outbox message and event in one commit, then the message rendered
/// and handed to the transport right away, and the hand-over recorded) and `submitCode` (the code
/// checked against its keyed digest, the challenge and the account updated, the event written).
///
/// Each cycle verifies a fresh PTK account, registered beforehand, so no rate limit of the policy is
/// ever in the way. Password hashing is not part of the cycle: setup uses 1,000 PBKDF2 iterations.
///
/// With `resend`, each account was sent a first code during setup, so the cycle's request is the
/// person asking for another code (the policy's cooldown set to zero) and reads what a resend reads:
/// the open challenge and the address's quota of sends.
struct ServiceCycle: Sendable {
    let service: VerificationService
    let transport: NullMailTransport
    let accounts: [Account]

    static func make(accounts count: Int, store: any RecordStore, resend: Bool = false) async throws -> ServiceCycle {
        let setup = try await VerifiedOperator.make(
            store: store, passwordHasher: PBKDF2PasswordHasher(iterations: 1_000),
            policy: resend ? try VerificationPolicy(resendCooldown: .zero) : nil)
        let (service, transport, manager) = (setup.service, setup.transport, setup.id)

        var accounts: [Account] = []
        accounts.reserveCapacity(count)
        for n in 0..<count {
            let account = try await service.registerStaff(try VerifiedOperator.ptk(n, password: password), by: manager)
            if resend, let address = account.email {
                _ = try await service.requestCode(for: account.id, by: account.id)
                _ = transport.code(to: address.canonical)
            }
            accounts.append(account)
        }
        return ServiceCycle(service: service, transport: transport, accounts: accounts)
    }

    /// Verifies account number `index`: request a code, read it from the null transport, submit it.
    func cycle(_ index: Int) async throws {
        let account = accounts[index]
        _ = try await service.requestCode(for: account.id, by: account.id)
        guard let address = account.email, let code = transport.code(to: address.canonical) else {
            throw ClientFailure(description: "no code was handed over for account \(index)")
        }
        let result = try await service.submitCode(code, for: account.id, by: account.id)
        guard result.outcome == .verified else {
            throw ClientFailure(description: "account \(index): \(result.outcome) instead of verified")
        }
    }

    private static let password = "Guru-Teladan-Jaya-7"
}

/// A transport that accepts every message at once and keeps only the last code per recipient, so the
/// benchmark can type it back in: the service's cost without any network or disk.
final class NullMailTransport: MailTransport {
    private let codes = Mutex<[String: String]>([:])

    var name: String { "null" }

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        if let code = Self.code(in: message.bytes) {
            codes.withLock { codes in
                for recipient in envelope.recipients { codes[recipient.canonical] = code }
            }
        }
        return DeliveryReceipt(transport: name, handedOverAt: Date(), messageID: message.messageID)
    }

    func code(to canonicalAddress: String) -> String? { codes.withLock { $0.removeValue(forKey: canonicalAddress) } }

    /// The first line that is exactly six ASCII digits (how the verification e-mail shows the code).
    private static func code(in bytes: [UInt8]) -> String? {
        var lineStart = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
            var line = bytes[lineStart..<index]
            while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") {
                line = line.dropLast()
            }
            while let first = line.first, first == UInt8(ascii: " ") { line = line.dropFirst() }
            if line.count == 6, line.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                return String(decoding: line, as: UTF8.self)
            }
            lineStart = index + 1
        }
        return nil
    }
}
