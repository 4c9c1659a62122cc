import DapodikVerification
import Foundation
import Hummingbird
import Testing
import WebPortalCore

#if PostgreSQL
    import DapodikPostgres
#endif

/// Two schools, each with a verified operator and one PTK, on an in-memory store (or PostgreSQL:
/// ``defaultStore()``), mail into a Maildir in a temporary directory, and the portal over them (in demo
/// mode, so the mailbox page exists).
struct PortalFixture {
    static let password = "Sekolah-Hebat-2026"
    static let ptkPassword = "Guru-Teladan-2026"

    let service: VerificationService
    let maildir: URL
    /// The service's transport: the Maildir, until a test breaks it.
    let mail: BreakableTransport
    let portal: Portal
    let operatorA: AccountID
    let ptkA: Account
    let operatorB: AccountID
    let ptkB: Account

    /// Makes the fixture.
    /// - Parameters:
    ///   - loginThrottle: The service's login throttle; a test that needs a delay to last past several
    ///     slow attempts sets one longer than the default's 2 seconds.
    ///   - secureCookies: The portal's ``PortalConfiguration/secureCookies``.
    ///   - store: The service's store; ``defaultStore()`` unless given.
    ///   - wrongCodeLimits: The service's bound on an account's wrong codes across challenges.
    static func make(
        loginThrottle: LoginThrottlePolicy = LoginThrottlePolicy(), secureCookies: Bool = false,
        store: (any RecordStore)? = nil, wrongCodeLimits: AccountCodeLimits = AccountCodeLimits()
    ) async throws -> PortalFixture {
        let maildir = FileManager.default.temporaryDirectory
            .appendingPathComponent("portal-tests-\(UUID().uuidString)", isDirectory: true)
        // Without a scope a PostgreSQL store made here would never be closed.
        try #require(
            FixtureStores.current != nil, "PortalFixture.make outside a test with the .closesFixtureStores trait")
        let records: any RecordStore = if let store { store } else { try await defaultStore() }
        let mail = BreakableTransport(MaildirTransport(directory: maildir))
        let mailWatch = MailTransportWatch()
        var configuration = VerificationService.Configuration(
            store: records, transport: mailWatch.watching(mail),
            keyRing: try CodeKeyRing(current: .random(id: CodeKeyID("t1"))),
            sender: try EmailAddress("verifikasi@dapodik.example"))
        // Fewer PBKDF2 iterations than production: these accounts exist only in this test.
        configuration.passwordHasher = PBKDF2PasswordHasher(iterations: 1_000)
        configuration.loginThrottle = loginThrottle
        configuration.wrongCodeLimits = wrongCodeLimits
        let service = VerificationService(configuration: configuration)
        let (operatorA, ptkA) = try await school(
            service, maildir: maildir, npsn: "20100101", name: "SD Negeri 1 Contoh", operatorName: "siti",
            ptkName: "budi")
        let (operatorB, ptkB) = try await school(
            service, maildir: maildir, npsn: "20100202", name: "SD Negeri 2 Lain", operatorName: "rina",
            ptkName: "joko")
        let portal = Portal(
            configuration: PortalConfiguration(
                service: service, demoMaildir: maildir, secureCookies: secureCookies, demoHint: DemoSchool.hint,
                mailWatch: mailWatch))
        return PortalFixture(
            service: service, maildir: maildir, mail: mail, portal: portal, operatorA: operatorA, ptkA: ptkA,
            operatorB: operatorB, ptkB: ptkB)
    }

    /// The variable naming the PostgreSQL server the route tests run over instead of an in-memory store,
    /// in a portal built with its `PostgreSQL` trait (`.ci/webportal-postgres` sets it).
    static let postgresURLVariable = "DAPODIK_PORTAL_TEST_POSTGRES_URL"

    /// A new in-memory store; or, when ``postgresURLVariable`` is set in a build with the `PostgreSQL`
    /// trait, a PostgreSQL store over a new schema of its own (left in the throw-away test cluster),
    /// shut down when the test's ``FixtureStores/current`` scope ends.
    static func defaultStore() async throws -> any RecordStore {
        #if PostgreSQL
            if let url = ProcessInfo.processInfo.environment[postgresURLVariable] {
                var configuration = try PostgresRecordStore.Configuration(url: url, password: nil)
                configuration.schema = "portal_" + UUID().uuidString.lowercased().replacing("-", with: "")
                configuration.operationTimeout = .seconds(30)  // two cores, suites in parallel
                let store = try PostgresRecordStore(configuration: configuration)
                FixtureStores.current?.add { await store.shutdown() }
                try await store.migrate()
                return store
            }
        #endif
        return InMemoryRecordStore()
    }

    /// A school whose operator has verified their address, with one PTK.
    private static func school(
        _ service: VerificationService, maildir: URL, npsn: String, name: String, operatorName: String,
        ptkName: String
    ) async throws -> (AccountID, Account) {
        let operatorAccount = try await service.createSchool(
            School(npsn: try NPSN(npsn), name: try DisplayName(name), timeZone: .wita),
            operator: AccountRegistration(
                displayName: try DisplayName(operatorName.capitalized), username: try Username(operatorName),
                email: try EmailAddress("\(operatorName)@sekolah.example"), password: password))
        _ = try await service.requestCode(for: operatorAccount.id, by: operatorAccount.id)
        let code = try #require(latestCode(in: maildir, to: "\(operatorName)@sekolah.example"))
        _ = try await service.submitCode(code, for: operatorAccount.id, by: operatorAccount.id)
        let ptk = try await service.registerStaff(
            AccountRegistration(
                displayName: try DisplayName(ptkName.capitalized), username: try Username(ptkName),
                email: try EmailAddress("\(ptkName)@guru.example"), password: ptkPassword),
            by: operatorAccount.id)
        return (operatorAccount.id, ptk)
    }

    /// The code in the newest message to `recipient`: the templates put it alone on its own line.
    static func latestCode(in maildir: URL, to recipient: String) -> String? {
        let folder = maildir.appendingPathComponent("new")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        for name in names.reversed() {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                continue
            }
            let message = ReceivedMessage(bytes: Array(data))
            guard (message.header("To") ?? "").lowercased().contains(recipient) else { continue }
            let lines = (message.plainText ?? "").split(whereSeparator: \.isNewline)
            if let line = lines.first(where: { $0.count == 6 && $0.allSatisfy(\.isNumber) }) { return String(line) }
        }
        return nil
    }

    var application: some ApplicationProtocol {
        Application(router: portal.router())
    }

    /// Creates school 20100303 (SD Baru, WIT) whose operator `ayu` (`PortalFixture.password`) has not
    /// verified their address yet.
    func createSchoolWithUnverifiedOperator() async throws {
        _ = try await service.createSchool(
            School(npsn: try NPSN("20100303"), name: try DisplayName("SD Baru"), timeZone: .wit),
            operator: AccountRegistration(
                displayName: try DisplayName("Ayu"), username: try Username("ayu"),
                email: try EmailAddress("ayu@sekolah.example"), password: Self.password))
    }
}
