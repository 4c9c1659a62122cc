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
///
/// With `idleQuotas` N, N other PTK were each sent a code 26 hours before the cycle (a day's window and
/// the hour of grace ago), so the store holds N address quotas that count no send any more, as in a
/// campaign's steady state: each request of the cycle also reads the first idle entries of
/// `addressQuota.idleFrom` and removes up to two of those quotas in its own commit.
struct ServiceCycle: Sendable {
    let service: VerificationService
    let transport: NullMailTransport
    let accounts: [Account]

    static func make(
        accounts count: Int, store: any RecordStore, resend: Bool = false, idleQuotas: Int = 0
    ) async throws -> ServiceCycle {
        let clock = SetBackClock()
        let setup = try await VerifiedOperator.make(
            store: store, passwordHasher: PBKDF2PasswordHasher(iterations: 1_000),
            policy: resend ? try VerificationPolicy(resendCooldown: .zero) : nil, now: clock.now)
        let (service, transport, manager) = (setup.service, setup.transport, setup.id)
        if idleQuotas > 0 {
            clock.setBack(by: idleAge)
            try await sendFirstCodes(toNew: idleQuotas, service: service, transport: transport, manager: manager)
            clock.setBack(by: 0)
        }

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

    /// How long before the cycle the idle quotas' codes were sent: the address window (24 hours), the
    /// service's hour of grace before it removes an idle record, and an hour more.
    static let idleAge: TimeInterval = 26 * 3600

    /// The first PTK number of the accounts whose quotas are idle, far from the cycle's own.
    private static let firstIdleAccount = 10_000_000

    /// Registers `count` more PTK, a full batch at a time, and sends each one code at the service's time,
    /// eight requests at once.
    private static func sendFirstCodes(
        toNew count: Int, service: VerificationService, transport: NullMailTransport, manager: AccountID
    ) async throws {
        var registered = 0
        while registered < count {
            let numbers = registered..<min(count, registered + VerificationService.maximumStaffBatchSize)
            let accounts = try await service.registerStaff(
                try numbers.map { try VerifiedOperator.ptk(firstIdleAccount + $0, password: password) }, by: manager)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<8 {
                    group.addTask {
                        for account in stride(from: lane, to: accounts.count, by: 8).map({ accounts[$0] }) {
                            _ = try await service.requestCode(for: account.id, by: account.id)
                            if let address = account.email { _ = transport.code(to: address.canonical) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            registered += accounts.count
        }
    }
}

/// The service's clock in the benchmark: the real time, less a span while the past is being set up.
final class SetBackClock: Sendable {
    private let span = Mutex<TimeInterval>(0)

    /// From now on the clock reads `seconds` behind the real time (0: the real time).
    func setBack(by seconds: TimeInterval) { span.withLock { $0 = seconds } }

    /// The clock's time.
    var now: @Sendable () -> Date {
        { [self] in Date().addingTimeInterval(-span.withLock { $0 }) }
    }
}

/// What the change log says of the code requests committed after a sequence number (those that put an
/// address quota): how many committed, how many idle quotas they removed, and how many removed none.
/// While idle quotas remain, each request reads at least two of them, so one that removed none while
/// some remained lost the race for them to a concurrent request and committed a second time without
/// its removals; once all are removed, a request that removes none is not counted.
struct IdleRemovalTally {
    var requests = 0
    var removed = 0
    var removedNone = 0

    /// The tally of the commits after `sequence` in `store`, which then held `idle` idle quotas.
    static func read(_ store: any RecordStore, after sequence: UInt64, idle: Int) async throws -> IdleRemovalTally {
        var tally = IdleRemovalTally()
        var after = sequence
        while true {
            let batches = try await store.changes(after: after, limit: 1000)
            guard let last = batches.last else { return tally }
            for batch in batches where batch.puts.contains(where: { $0.key.collection == quotas }) {
                let removed = batch.deletes.count { $0.collection == quotas }
                if removed == 0 && tally.removed < idle { tally.removedNone += 1 }
                tally.requests += 1
                tally.removed += removed
            }
            after = last.sequence
        }
    }

    /// The sequence of the store's latest commit.
    static func latestSequence(of store: any RecordStore) async throws -> UInt64 {
        var latest: UInt64 = 0
        while let last = try await store.changes(after: latest, limit: 1000).last { latest = last.sequence }
        return latest
    }

    /// The address quotas' collection, as the service names it (pinned by `StoredRecordMappingTests`).
    private static let quotas = "addressQuota"
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
