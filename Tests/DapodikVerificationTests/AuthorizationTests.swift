import DapodikVerification
import Foundation
import Testing

/// Refusals change nothing: the store's change feed is the same length before and after.
@Suite(.timeLimit(.minutes(10)))
struct AuthorizationTests {
    @Test("an operator of another school is refused and nothing changes", arguments: StoreKind.allCases)
    func otherSchoolOperator(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let stranger = try await harness.verifiedOperator(
            npsn: "P9876543", email: "op@pkbm.sch.id", username: "operator.pkbm")
        let before = try await harness.commitCount()
        let attempts: [@Sendable () async throws -> Void] = [
            {
                _ = try await harness.service.updateStaff(
                    ptk.id, email: try EmailAddress("x@gmail.com"), by: stranger.id)
            },
            { _ = try await harness.service.updateStaff(ptk.id, password: "Kata-Sandi-Baru-99", by: stranger.id) },
            { _ = try await harness.service.deliveryStatus(for: ptk.id, by: stranger.id) },
            { _ = try await harness.service.requestCode(for: ptk.id, by: stranger.id) },
        ]
        for attempt in attempts {
            let error = await #expect(throws: VerificationError.self) { try await attempt() }
            #expect(error?.code == .authorization)
            // The other school is never named.
            #expect(error?.message.indonesian.contains("20100101") == false, "\(String(describing: error))")
            #expect(error?.message.english.contains("20100101") == false, "\(String(describing: error))")
        }
        #expect(try await harness.service.listStaff(by: stranger.id).isEmpty)
        #expect(try await harness.commitCount() == before)
    }

    @Test("an unverified operator is refused and nothing changes", arguments: StoreKind.allCases)
    func unverifiedOperator(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let unverified = try await harness.createSchool(npsn: "20100102", email: "op2@sdn2.sch.id", username: "op2")
        let before = try await harness.commitCount()
        for attempt in [
            { _ = try await harness.service.listStaff(by: unverified.id) },
            { _ = try await harness.service.schoolReport(by: unverified.id) },
            { _ = try await harness.registerPTK("Eka", username: "eka", email: "eka@gmail.com", by: unverified) },
            { _ = try await harness.service.updateStaff(ptk.id, password: "Kata-Sandi-Baru-99", by: unverified.id) },
        ] as [@Sendable () async throws -> Void] {
            let error = await #expect(throws: VerificationError.self) { try await attempt() }
            #expect(error?.code == .authorization)
        }
        #expect(try await harness.commitCount() == before)
    }

    @Test("a PTK acting on someone else is refused and nothing changes", arguments: StoreKind.allCases)
    func ptkOnSomeoneElse(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ani = try await harness.registerPTK("Ani", username: "ani", email: "ani@gmail.com", by: manager)
        let budi = try await harness.registerPTK("Budi", username: "budi", email: "budi@gmail.com", by: manager)
        let code = try await harness.requestedCode(for: budi)
        let before = try await harness.commitCount()
        for attempt in [
            { _ = try await harness.service.requestCode(for: budi.id, by: ani.id) },
            { _ = try await harness.service.submitCode(code, for: budi.id, by: ani.id) },
            { _ = try await harness.service.deliveryStatus(for: budi.id, by: ani.id) },
            { _ = try await harness.service.updateStaff(budi.id, password: "Kata-Sandi-Baru-99", by: ani.id) },
            { _ = try await harness.service.listStaff(by: ani.id) },
            { _ = try await harness.registerPTK("Eka", username: "eka", email: "eka@gmail.com", by: ani) },
        ] as [@Sendable () async throws -> Void] {
            let error = await #expect(throws: VerificationError.self) { try await attempt() }
            #expect(error?.code == .authorization)
        }
        #expect(try await harness.commitCount() == before)
        #expect(try await harness.service.submitCode(code, for: budi.id, by: budi.id).outcome == .verified)
    }
}
