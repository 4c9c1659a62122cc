import DapodikVerification
import Foundation
import Testing

/// `dapodik-verify store reserve-mailboxes`, and the refusal of a second spelling of a mailbox.
@Suite("dapodik-verify store reserve-mailboxes")
struct ReserveMailboxesCommandTests {
    typealias School = CommandFlowTests.School

    /// The JSON the command prints.
    struct Report: Decodable {
        struct Shared: Decodable {
            let account: String
            let school: String
            let address: String
            let holder: String
        }
        let accountsRead: Int
        let reserved: Int
        let alreadyReserved: Int
        let shared: [Shared]
    }

    @Test(
        "a second spelling is refused; over a store without reservations the command reserves them and names the pair",
        .timeLimit(.minutes(10)))
    func reservesAndNamesThePair() async throws {
        let school = try await School.withPTK(sendingCode: false)
        let register = ["ptk", "register", "--as", "siti", "--name", "Budi Kedua", "--email", "B.U.D.I+sd1@gmail.com"]
        let input = CommandFlowTests.operatorPassword + "\n" + CommandFlowTests.ptkPassword + "\n"
        let refused = try await school.run(register, input: input)
        #expect(refused.status == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("kotak surat yang sama"), "\(refused.standardError)")
        // As a store written before reservations: the second spelling registers, then none is reserved.
        try await Self.forgetReservations(in: school, andTheirMark: false)
        let registered = try await school.run(register, input: input)
        try #require(registered.status == 0, "\(registered.standardError)")
        try await Self.forgetReservations(in: school, andTheirMark: true)
        // Until the command has run, a code is refused with 69 and what to run.
        let refusedCode = try await school.run(
            ["ptk", "continue", "--as", "budi"], input: CommandFlowTests.ptkPassword + "\n")
        #expect(refusedCode.status == 69, "\(refusedCode.standardError)")
        #expect(refusedCode.standardError.contains("store reserve-mailboxes"), "\(refusedCode.standardError)")

        let first = try await school.run(["store", "reserve-mailboxes"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(
            first.standardOutput.contains(
                "Akun dibaca: 3; kotak surat dipesan sekarang: 2; sudah dipesan sebelumnya: 0."),
            "\(first.standardOutput)")
        #expect(first.standardOutput.contains("menuju kotak surat yang sudah dipesan akun"), "\(first.standardOutput)")
        #expect(first.standardOutput.contains("•••@gmail.com"))
        let again = try await school.run(["store", "reserve-mailboxes", "--json"], lang: "en")
        #expect(again.status == 0, "\(again.standardError)")
        let report = try JSONDecoder().decode(Report.self, from: Data(again.standardOutput.utf8))
        #expect(report.accountsRead == 3 && report.reserved == 0 && report.alreadyReserved == 2)
        #expect(report.shared.count == 1)
        #expect(report.shared.first?.school == "20100101")
        #expect(["budi@gmail.com", "B.U.D.I+sd1@gmail.com"].contains(report.shared.first?.address ?? ""))
    }

    /// Deletes every mailbox reservation of `school`'s store, and with `andTheirMark` the mark that
    /// they are complete: a store written before them.
    static func forgetReservations(in school: School, andTheirMark: Bool) async throws {
        let store = try FileRecordStore(directory: school.data.appendingPathComponent("store"))
        defer { store.close() }
        // Siti's and Budi's mailboxes; the second spelling's is Budi's.
        var mutations = try ["siti.aminah@gmail.com", "budi@gmail.com"].map { address in
            Mutation.delete(RecordKey(collection: "mailbox", id: try EmailAddress(address).mailbox), expecting: .any)
        }
        if andTheirMark {
            mutations.append(.delete(RecordKey(collection: "upgrade", id: "mailboxReservations"), expecting: .any))
        }
        try await store.commit(mutations)
    }
}
