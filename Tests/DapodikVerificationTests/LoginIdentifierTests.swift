import DapodikVerification
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10)))
struct LoginIdentifierTests {
    @Test(
        "a username cannot take another account's e-mail address, nor an address a username",
        arguments: StoreKind.allCases)
    func oneNamespace(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let schoolA = try await harness.verifiedOperator()
        try await harness.createSchool(npsn: "20100102", email: "opb@sdn2.sch.id", username: "operator2")
        let taken = await #expect(throws: VerificationError.self) {
            try await harness.registerPTK(username: "opb@sdn2.sch.id", email: "guru.a@gmail.com", by: schoolA)
        }
        #expect(taken?.code == .usernameInUse)
        // The batch path and the dry run say the same.
        let registration = AccountRegistration(
            displayName: try DisplayName("Guru A"), username: try Username("OPB@sdn2.sch.id"),
            email: try EmailAddress("guru.a@gmail.com"), password: Harness.ptkPassword)
        #expect(
            try await harness.service.checkStaff([registration], by: schoolA.id).map(\.error.code) == [.usernameInUse])
        // A username that looks like an address blocks that address for others.
        let ptk = try await harness.registerPTK(username: "guru.b@gmail.com", email: "guru.b2@gmail.com", by: schoolA)
        let addressTaken = await #expect(throws: VerificationError.self) {
            try await harness.createSchool(npsn: "20100103", email: "guru.b@gmail.com", username: "operator3")
        }
        #expect(addressTaken?.code == .emailInUse)
        let corrected = await #expect(throws: VerificationError.self) {
            try await harness.service.updateStaff(
                ptk.id, email: try EmailAddress("operator@sdn1.sch.id"), by: schoolA.id)
        }
        #expect(corrected?.code == .emailInUse)
        // Rows of one batch cannot share an identifier across the two columns either.
        let rows = [
            AccountRegistration(
                displayName: try DisplayName("Guru C"), username: try Username("guru.c"),
                email: try EmailAddress("guru.c@gmail.com"), password: Harness.ptkPassword),
            AccountRegistration(
                displayName: try DisplayName("Guru D"), username: try Username("guru.c@gmail.com"),
                email: try EmailAddress("guru.d@gmail.com"), password: Harness.ptkPassword),
        ]
        #expect(try await harness.service.checkStaff(rows, by: schoolA.id).map(\.row) == [1])
        // School B still logs in by e-mail, and it opens school B's operator.
        let session = try await harness.service.login(identifier: "opb@sdn2.sch.id", password: Harness.password)
        #expect(session.role == .operator)
        #expect(session.npsn.description == "20100102")
    }

    @Test(
        "a likely typo is refused before a taken username, and a taken username before a taken address",
        arguments: StoreKind.allCases)
    func refusalOrder(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let school = try await harness.verifiedOperator()
        _ = try await harness.registerPTK(username: "budi", email: "budi@gmail.com", by: school)
        // The typo needs no store, so it is told first: it says nothing about which names are taken.
        let typo = await #expect(throws: VerificationError.self) {
            try await harness.registerPTK(username: "budi", email: "budi@gmial.com", by: school)
        }
        #expect(typo?.code == .possibleTypo)
        // Both taken: the username is told, so the refusal does not tell whether the address is free.
        let both = await #expect(throws: VerificationError.self) {
            try await harness.registerPTK(username: "budi", email: "budi@gmail.com", by: school)
        }
        #expect(both?.code == .usernameInUse)
        let address = await #expect(throws: VerificationError.self) {
            try await harness.registerPTK(username: "budi.lain", email: "budi@gmail.com", by: school)
        }
        #expect(address?.code == .emailInUse)
    }
}
