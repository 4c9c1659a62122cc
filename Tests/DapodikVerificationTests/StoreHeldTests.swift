import DapodikVerification
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file store that another process holds longer than the wait allows answers `busy`, with the
/// store's explanation, and changes nothing.
@Suite(.timeLimit(.minutes(10)))
struct StoreHeldTests {
    @Test("a request whose commit waits past the lock limit is refused as busy, saying why; nothing changed")
    func busyWhileHeld() async throws {
        let harness = try Harness.make(.file, lockWait: LockWaitPolicy(limit: .milliseconds(300)))
        try await harness.createSchool()
        let events = try await harness.service.events()
        // Another open file description of LOCK excludes the store as another process would.
        let lock = try #require(harness.directory).appendingPathComponent("LOCK").path
        // Close-on-exec: a child another test starts meanwhile must not inherit, and so keep, the lock.
        let descriptor = open(lock, O_RDWR | O_CLOEXEC)
        try #require(descriptor >= 0)
        try #require(flock(descriptor, LOCK_EX) == 0)

        let error = await #expect(throws: VerificationError.self) {
            try await harness.createSchool(npsn: "20100102", email: "operator@sdn2.sch.id", username: "operator2")
        }
        #expect(error?.code == .busy)
        #expect(error?.message.indonesian.contains("dipakai proses lain") == true, "\(String(describing: error))")
        #expect(error?.message.english.contains("Nothing was changed") == true, "\(String(describing: error))")
        #expect(try await harness.service.events() == events, "reads go on, and nothing changed")

        close(descriptor)
        try await harness.createSchool(npsn: "20100102", email: "operator@sdn2.sch.id", username: "operator2")
        #expect(try await harness.service.events().count > events.count)
    }
}
