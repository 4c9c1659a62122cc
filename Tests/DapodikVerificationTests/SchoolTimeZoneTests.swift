import DapodikVerification
import Foundation
import Testing

/// Times the service hands out come with the zone of the school they concern.
@Suite(.timeLimit(.minutes(10)))
struct SchoolTimeZoneTests {
    @Test("a login says the zone of the person's school", arguments: SchoolTimeZone.allCases)
    func sessionZone(_ zone: SchoolTimeZone) async throws {
        let harness = try Harness.make(.memory)
        try await harness.createSchool(timeZone: zone)
        let session = try await harness.service.login(identifier: "operator1", password: Harness.password)
        #expect(session.timeZone == zone)
    }

    @Test("the next message due comes with the zone of its school", arguments: [SchoolTimeZone.wita, .wit])
    func nextDueZone(_ zone: SchoolTimeZone) async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool(timeZone: zone)
        harness.transport.failNext(1, disposition: .transient, smtpReplyCode: 451)
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let summary = try await harness.service.drainOutbox()
        #expect(summary.nextDueAt != nil)
        #expect(summary.nextDueTimeZone == zone)
    }
}
