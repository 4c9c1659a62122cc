import DapodikAccounts
import DapodikCodes
import DapodikMail
import DapodikStorage
import DapodikVerification
import Dispatch
import Foundation
import FuzzDriver
import Synchronization

// The fuzz target of the service's readers of stored records (the hand-written JSON readers of
// accounts, schools, challenges, outbox messages, mailbox reservations and address quotas, their
// dates and their fallback to `JSONDecoder`): a store's bytes come from a file or a database that
// may be damaged or edited, so any bytes in a record must give a typed error or a value, never a trap.
//
// Each input is one selector byte (which record to replace: the school, the PTK's account, its
// challenge, its outbox message, its mailbox's reservation or its address's quota) and the bytes to
// store there. The service then reads that record through its public calls, and the original bytes
// are put back for the next input.

/// A transport that accepts every message and keeps only the last one's code, for the operator's
/// own verification in the setup.
private final class LastCodeTransport: MailTransport {
    private let lastCode = Mutex<String?>(nil)

    var name: String { "last-code" }

    var code: String? { lastCode.withLock { $0 } }

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        // The verification e-mail shows the code on a line of its own: six ASCII digits.
        let text = String(decoding: message.bytes, as: UTF8.self)
        let code = text.split(whereSeparator: \.isNewline).lazy
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.count == 6 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        if let code { lastCode.withLock { $0 = code } }
        return DeliveryReceipt(transport: name, handedOverAt: Date(), messageID: message.messageID)
    }
}

/// A school with its operator, one PTK and that PTK's requested code, in memory.
private struct Scene: Sendable {
    let store: InMemoryRecordStore
    let service: VerificationService
    let operatorID: AccountID
    let staffID: AccountID
    /// The records the inputs replace, in selector order, as first stored.
    let records: [Record]
    /// The identifiers in the scene's records (random in every run) and the fixed stand-ins the seeds
    /// carry instead, so that a seed stored by one run still names the records of the next.
    let identifiers: [(actual: Data, standIn: Data)]

    static func make() async throws -> Scene {
        let store = InMemoryRecordStore()
        let transport = LastCodeTransport()
        var configuration = VerificationService.Configuration(
            store: store, transport: transport,
            keyRing: try CodeKeyRing(current: .random(id: CodeKeyID("k1"))),
            sender: try EmailAddress("verifikasi@dapodik.example.id"))
        configuration.passwordHasher = PBKDF2PasswordHasher(iterations: 1_000)
        let service = VerificationService(configuration: configuration)
        let school = School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 Contoh"), timeZone: .wib)
        let manager = try await service.createSchool(
            school,
            operator: AccountRegistration(
                displayName: try DisplayName("Siti Operator"), username: try Username("operator1"),
                email: try EmailAddress("operator@sdn1.sch.id"), password: "Guru-Teladan-Jaya-7",
                confirmingUnusualDomain: true))
        _ = try await service.requestCode(for: manager.id, by: manager.id)
        guard let code = transport.code,
            try await service.submitCode(code, for: manager.id, by: manager.id).outcome == .verified
        else { fatalError("the operator could not verify") }
        let staff = try await service.registerStaff(
            AccountRegistration(
                displayName: try DisplayName("Guru Élise Nomor 1"), username: try Username("ptk1"),
                email: try EmailAddress("ptk.1@sekolah.sch.id"), password: "Guru-Teladan-Jaya-7",
                confirmingUnusualDomain: true),
            by: manager.id)
        _ = try await service.requestCode(for: staff.id, by: staff.id)
        // The latest version of every record, then the four this target replaces.
        var latest: [RecordKey: Record] = [:]
        for batch in try await store.changes(after: 0, limit: .max) {
            for record in batch.puts { latest[record.key] = record }
        }
        let staffKey = latest.values.first { $0.key.collection == "account" && $0.value.contains(staffMarker) }
        let chosen = [
            latest.values.first { $0.key.collection == "school" },
            staffKey,
            latest.values.first { $0.key.collection == "challenge" && $0.value.contains(staffAddress) },
            latest.values.first { $0.key.collection == "outbox" && $0.value.contains(staffAddress) },
            latest.values.first { $0.key.collection == "mailbox" && $0.key.id == "ptk.1@sekolah.sch.id" },
            latest.values.first { $0.key.collection == "addressQuota" && $0.key.id == "ptk.1@sekolah.sch.id" },
        ]
        guard chosen.allSatisfy({ $0 != nil }) else {
            fatalError("the scene lacks a record: \(latest.keys.map(\.collection).sorted())")
        }
        let operatorKey = latest.values.first { $0.key.collection == "account" && $0.key != staffKey?.key }
        // Keys write identifiers in lower case, documents in upper case: both are replaced. (The
        // school's key, its NPSN, and the address that keys the reservation and the quota are the
        // same in every run.)
        let identified = ([operatorKey] + chosen).filter {
            !["school", "mailbox", "addressQuota"].contains($0?.key.collection)
        }
        let identifiers = identified.enumerated().flatMap { number, record in
            let id = record?.key.id ?? ""
            let standIn = "00000000-0000-4000-8000-00000000000\(number)"
            return [
                (Data(id.lowercased().utf8), Data(standIn.lowercased().utf8)),
                (Data(id.uppercased().utf8), Data(standIn.uppercased().utf8)),
            ]
        }
        return Scene(
            store: store, service: service, operatorID: manager.id, staffID: staff.id, records: chosen.map { $0! },
            identifiers: identifiers)
    }

    /// `bytes` with every identifier of the scene replaced by its stand-in, or the reverse.
    func replacingIdentifiers(in bytes: Data, toStandIns: Bool) -> Data {
        var result = bytes
        for (actual, standIn) in identifiers {
            let (from, to) = toStandIns ? (actual, standIn) : (standIn, actual)
            while let range = result.firstRange(of: from) { result.replaceSubrange(range, with: to) }
        }
        return result
    }

    /// What identifies the PTK's account among the accounts' documents.
    static let staffMarker = Data("ptk1".utf8)
    /// What identifies the PTK's challenge and outbox message among the others.
    static let staffAddress = Data("ptk.1@sekolah.sch.id".utf8)

    /// Stores `bytes` in place of record `selector`, reads it through the service, and restores it.
    func exercise(selector: Int, bytes: Data) async {
        let original = records[selector % records.count]
        let value = replacingIdentifiers(in: bytes, toStandIns: false)
        _ = try? await store.commit([
            .put(original.key, value: value, indexes: original.indexes, expecting: .any)
        ])
        _ = try? await service.listStaff(by: operatorID)
        _ = try? await service.deliveryStatus(for: staffID, by: operatorID)
        _ = try? await service.schoolReport(by: operatorID)
        _ = try? await service.accountOverview(by: staffID)
        _ = try? await service.drainOutbox()
        _ = try? await service.submitCode("000000", for: staffID, by: staffID)
        // Reads the mailbox's reservation and the address's quota; refused by the cooldown before any commit.
        _ = try? await service.requestCode(for: staffID, by: staffID)
        // Back to the original bytes, so that every input starts from the same scene.
        do {
            try await store.commit([
                .put(original.key, value: original.value, indexes: original.indexes, expecting: .any)
            ])
            // The store keeps every version until compacted: without this, memory grows with every input.
            try await store.compact()
        } catch {
            fatalError("restoring \(original.key) failed: \(error)")
        }
    }
}

/// Runs `body` to completion from a synchronous caller (libFuzzer's), on the global executor.
private func blocking<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) -> Result {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<Result>()
    Task {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

/// Carries a result from a task to the thread that waited for it (the semaphore orders the accesses).
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}

private let scene: Scene = blocking {
    do {
        return try await Scene.make()
    } catch {
        fatalError("setting up the scene failed: \(error)")
    }
}

/// Seeds: each replaced record's own bytes behind its selector byte, its identifiers as stand-ins.
private func writeSeeds(to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (selector, record) in scene.records.enumerated() {
        let seed = Data([UInt8(selector)]) + scene.replacingIdentifiers(in: record.value, toStandIns: true)
        try seed.write(to: directory.appendingPathComponent("record-\(selector)-\(record.key.collection)"))
    }
}

/// The program's entry point (see `FuzzReceivedMessage` for why it is named so).
@_cdecl("FuzzStoredRecords_main")
public func fuzzTargetMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzTarget(argc, argv, writingSeeds: writeSeeds) { data, size in testOneInput(data, size) }
}

/// libFuzzer calls this with every input; it returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let selector = Int(data[0])
    let bytes = Data(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let scene = scene
    blocking { await scene.exercise(selector: selector, bytes: bytes) }
    return 0
}
