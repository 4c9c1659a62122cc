import DapodikLocking
import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

/// A clock the tests move by hand; nothing sleeps.
final class TestClock: Sendable {
    private let current: LockedValue<Date>

    /// 1 July 2026, 10.00 WIB.
    init(_ start: Date = Date(timeIntervalSince1970: 1_782_874_800)) { current = LockedValue(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }

    func set(_ date: Date) { current.withLock { $0 = date } }
}

/// The two stores every flow runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case file

    var testDescription: String { rawValue }
}

/// A service over a fresh store, a scriptable in-memory transport and a hand-driven clock.
struct Harness: Sendable {
    let service: VerificationService
    let clock: TestClock
    let transport: InMemoryMailTransport
    let store: any RecordStore
    /// Holds the file store's directory, removed when the last copy of the harness goes away.
    let scratch: TemporaryDirectory?
    /// The file store's directory.
    var directory: URL? { scratch.map(Self.storeDirectory) }

    static let password = "Rahasia-Sekolah-2026"
    static let ptkPassword = "Guru-Teladan-Jaya-7"

    static func make(
        _ kind: StoreKind, sendImmediately: Bool = true, randomFraction: Double = 1,
        onMisconfiguration: @escaping @Sendable (MailTransportError) -> Void = { _ in },
        senderName: String = "Verifikasi Dapodik", lockWait: LockWaitPolicy = LockWaitPolicy()
    ) throws -> Harness {
        let store: any RecordStore
        var scratch: TemporaryDirectory?
        switch kind {
        case .memory:
            store = InMemoryRecordStore()
        case .file:
            let directory = try TemporaryDirectory("service")
            scratch = directory
            var options = FileRecordStore.Options()
            options.lockWait = lockWait
            store = try FileRecordStore(directory: storeDirectory(in: directory), options: options)
        }
        return try make(
            over: store, scratch: scratch, sendImmediately: sendImmediately, randomFraction: randomFraction,
            onMisconfiguration: onMisconfiguration, senderName: senderName)
    }

    /// A service over `store` (a file store's directory held by `scratch`), set up as for a store kind.
    static func make(
        over store: any RecordStore, scratch: TemporaryDirectory? = nil, sendImmediately: Bool = true,
        randomFraction: Double = 1, onMisconfiguration: @escaping @Sendable (MailTransportError) -> Void = { _ in },
        senderName: String = "Verifikasi Dapodik"
    ) throws -> Harness {
        let clock = TestClock()
        let transport = InMemoryMailTransport(now: { clock.now })
        var configuration = VerificationService.Configuration(
            store: store, transport: transport,
            keyRing: try CodeKeyRing(current: .random(id: CodeKeyID("k1"))),
            sender: try EmailAddress("verifikasi@dapodik.example.id"), senderName: senderName)
        configuration.passwordHasher = PBKDF2PasswordHasher(iterations: 1_000)
        configuration.now = { clock.now }
        configuration.randomFraction = { randomFraction }
        configuration.dispatch.sendImmediately = sendImmediately
        configuration.onMisconfiguration = onMisconfiguration
        return Harness(
            service: VerificationService(configuration: configuration), clock: clock, transport: transport,
            store: store,
            scratch: scratch)
    }

    private static func storeDirectory(in scratch: TemporaryDirectory) -> URL {
        scratch.appending("store", isDirectory: true)
    }

    /// Another service over the same store and clock, with `change` applied to a copy of this
    /// one's configuration (another dispatcher, a rotated key ring, …).
    func sibling(_ change: (inout VerificationService.Configuration) throws -> Void) rethrows -> VerificationService {
        var configuration = service.configuration
        try change(&configuration)
        return VerificationService(configuration: configuration)
    }

    /// Creates school 20100101 (WIB) with operator `operator@sdn1.sch.id`.
    @discardableResult
    func createSchool(
        npsn: String = "20100101", name: String = "SD Negeri 1 Contoh", email: String = "operator@sdn1.sch.id",
        username: String = "operator1", timeZone: SchoolTimeZone = .wib
    ) async throws -> Account {
        let school = School(npsn: try NPSN(npsn), name: try DisplayName(name), timeZone: timeZone)
        return try await service.createSchool(
            school,
            operator: AccountRegistration(
                displayName: try DisplayName("Siti Operator"), username: try Username(username),
                email: try EmailAddress(email), password: Self.password, confirmingUnusualDomain: true))
    }

    /// Creates a school and verifies its operator through the real flow.
    func verifiedOperator(
        npsn: String = "20100101", email: String = "operator@sdn1.sch.id", username: String = "operator1"
    )
        async throws -> Account
    {
        let account = try await createSchool(npsn: npsn, email: email, username: username)
        let code = try await requestedCode(for: account)
        let result = try await service.submitCode(code, for: account.id, by: account.id)
        #expect(result.outcome == .verified)
        return account
    }

    /// Registers a PTK as `manager`.
    func registerPTK(
        _ name: String = "Budi Santoso", username: String = "budi.santoso", email: String = "budi.santoso@gmail.com",
        by manager: Account
    ) async throws -> Account {
        try await service.registerStaff(
            AccountRegistration(
                displayName: try DisplayName(name), username: try Username(username), email: try EmailAddress(email),
                password: Self.ptkPassword),
            by: manager.id)
    }

    /// Every code delivered to `address`, oldest first, read from the rendered e-mails.
    func codes(to address: EmailAddress) -> [String] {
        transport.deliveries(to: address).compactMap { verificationCode(in: $0.message.text) }
    }

    func latestCode(to address: EmailAddress) -> String? { codes(to: address).last }

    /// Has `account` ask for a code for its own address, and reads the code from the e-mail sent.
    func requestedCode(for account: Account) async throws -> String {
        _ = try await service.requestCode(for: account.id, by: account.id)
        return try #require(latestCode(to: account.email!))
    }

    /// How many commits the store has seen: equal before and after means nothing changed.
    func commitCount() async throws -> Int {
        try await store.changes(after: 0, limit: Int.max).count
    }

    /// The kinds of every event so far.
    func eventKinds() async throws -> [VerificationEvent.Kind] {
        try await service.events(after: .start, limit: 10_000).map(\.kind)
    }
}

/// A code that is not `code` (one digit changed).
func wrongCode(_ code: String) -> String {
    let first = code.first!
    return String(first == "9" ? "0" : Character(String(first.wholeNumberValue! + 1))) + code.dropFirst()
}
