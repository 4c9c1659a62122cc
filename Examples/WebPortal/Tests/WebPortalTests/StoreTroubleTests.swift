import DapodikVerification
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebPortalCore

/// The store's trouble: the visitor is told "try again", the deployer reads the library's words in
/// the log, once per failed request, and computing the visitor's words writes nothing.
@Suite("The store's trouble: told to the visitor, logged for the deployer", .closesFixtureStores)
struct StoreTroubleTests {
    @Test(
        "the visitor's message for a store another process holds is computed without a log line; the caller logs it once",
        .timeLimit(.minutes(10)))
    func messageHasNoSideEffect() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("portal-trouble-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = FileRecordStore.Options()
        options.lockWait = LockWaitPolicy(limit: .milliseconds(300))
        let fixture = try await PortalFixture.make(store: try FileRecordStore(directory: directory, options: options))
        let log = CapturedLog()
        let portal = Portal(
            configuration: PortalConfiguration(service: fixture.service, storeTroubleLogger: log.logger))
        // As a backup or compaction from the command line would: this process holds LOCK.
        let descriptor = open(directory.appendingPathComponent("LOCK").path, O_RDWR | O_CLOEXEC)
        try #require(descriptor >= 0)
        try #require(flock(descriptor, LOCK_EX) == 0)
        defer { close(descriptor) }
        let error = try await #require(throws: VerificationError.self) {
            try await fixture.service.login(identifier: "budi", password: PortalFixture.ptkPassword)
        }
        try #require(Portal.isStoreTrouble(error), "\(error.code)")

        let message = portal.visitorMessage(error)
        #expect(message.indonesian.hasPrefix("Server sedang sibuk"), "\(message.indonesian)")
        #expect(log.all.isEmpty, "computing the visitor's message wrote to the log: \(log.all)")

        portal.logStoreTrouble(error)
        #expect(log.all.count == 1, "\(log.all)")
        #expect(log.all.first?.hasPrefix("error The store cannot be used now") == true, "\(log.all)")
        #expect(log.all.first?.contains(error.code.rawValue) == true, "\(log.all)")

        // A page that tells the visitor logs it once, as before.
        try await Application(router: portal.router()).test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.get("/masuk")
            let page = try await browser.post("/masuk", ["identitas": "budi", "sandi": PortalFixture.ptkPassword])
            #expect(page.status == .serviceUnavailable)
        }
        #expect(log.all.count == 2, "\(log.all)")
    }

    @Test(
        "a store upgraded without its one-off run: 503, 'being upgraded' for the visitor, the library's words in the log"
    )
    func storeNeedingUpgrade() async throws {
        let store = InMemoryRecordStore()
        let fixture = try await PortalFixture.make(store: store)
        // As a store written before mailboxes were reserved: no reservation, no mark.
        var mutations: [Mutation] = []
        for batch in try await store.changes(after: 0, limit: Int.max) {
            for put in batch.puts where put.key.collection == "mailbox" {
                mutations.append(.delete(put.key, expecting: .any))
            }
        }
        mutations.append(.delete(RecordKey(collection: "upgrade", id: "mailboxReservations"), expecting: .any))
        try await store.commit(mutations)
        let log = CapturedLog()
        let portal = Portal(
            configuration: PortalConfiguration(service: fixture.service, storeTroubleLogger: log.logger))
        let service = VerificationService(configuration: fixture.service.configuration)  // started after the upgrade
        let error = try await #require(throws: VerificationError.self) {
            try await service.requestCode(for: fixture.ptkA.id, by: fixture.ptkA.id)
        }

        #expect(error.code == .storeNeedsUpgrade)
        #expect(Portal.isStoreTrouble(error))
        #expect(portal.visitorStatus(error, otherwise: .unprocessableContent) == .serviceUnavailable)
        let message = portal.visitorMessage(error)
        #expect(message.indonesian.hasPrefix("Layanan sedang diperbarui"), "\(message.indonesian)")
        #expect(!message.english.contains("administrator"), "\(message.english)")
        portal.logStoreTrouble(error)
        #expect(log.all.first?.contains("storeNeedsUpgrade") == true, "\(log.all)")
    }
}
