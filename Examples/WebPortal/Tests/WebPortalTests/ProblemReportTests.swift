import DapodikVerification
import Foundation
import Logging
import Testing

@testable import WebPortalCore

/// The problems no visitor waits on reach the portal's log, so its administrator learns of them.
@Suite("Problems nobody waits on are logged")
struct ProblemReportTests {
    /// A transport that cannot send until someone fixes its configuration.
    struct MisconfiguredTransport: MailTransport {
        var name: String { "test-relay" }

        func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
            throw MailTransportError(
                .configuration, disposition: .misconfigured, transport: name, detail: "no relay host configured")
        }
    }

    @Test("a mail transport that cannot send until its configuration is fixed is logged as an error")
    func misconfiguredTransportLogged() async throws {
        let log = CapturedLog()
        let data = try DataDirectoryTests.directory()
        let service = try await data.openService(
            demo: true, passwordHasher: PBKDF2PasswordHasher(iterations: 1_000), transport: MisconfiguredTransport(),
            sender: DataDirectoryTests.sender, logger: log.logger)
        try await DemoSchool.seed(into: service)
        let session = try await service.login(
            identifier: DemoSchool.operatorUsername, password: DemoSchool.operatorPassword)
        #expect(log.all.isEmpty, "\(log.all)")
        _ = try await service.requestCode(for: session.account, by: session.account)
        let lines = log.all
        #expect(lines.count == 1, "\(lines)")
        #expect(
            lines.first?.hasPrefix("error Mail cannot be sent until the transport's configuration is fixed") == true)
        #expect(lines.first?.contains("test-relay") == true, "\(lines)")
        #expect(lines.first?.contains("no relay host configured") == true, "\(lines)")
    }

    @Test("a failed automatic compaction of the file store is logged as a warning, saying nothing was lost")
    func automaticCompactionFailureLogged() {
        let log = CapturedLog()
        let reports = PortalDataDirectory.problemReports(to: log.logger)
        reports.automaticCompactionFailed(
            StoreError(.ioFailure, message: LocalizedText(indonesian: "disk penuh", english: "disk full")))
        #expect(log.all.count == 1)
        #expect(
            log.all.first?.hasPrefix("warning The file store's automatic compaction failed; no data was lost") == true,
            "\(log.all)")
        #expect(log.all.first?.contains("disk full") == true, "\(log.all)")
    }
}
