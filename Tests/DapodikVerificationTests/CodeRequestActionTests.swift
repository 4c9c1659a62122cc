import Foundation
import Testing

@testable import DapodikVerification

/// The texts that tell a person how to ask for a code name the front end's own way of asking
/// (``VerificationService/Configuration/codeRequestAction``), never a button it does not have.
@Suite("the way to ask for a code is the front end's", .timeLimit(.minutes(10)))
struct CodeRequestActionTests {
    /// A command-line front end's action: its command, for the account's role and username.
    static let command = CodeRequestAction { role, username in
        let command = role == .operator ? "operator request-code" : "ptk continue"
        return LocalizedText(
            indonesian: "perintah 'cli \(command) --as \(username.value)'",
            english: "the command 'cli \(command) --as \(username.value)'")
    }

    /// Every text of `texts`, in both languages, with no LANJUT in it.
    static func expectNoButton(_ texts: [LocalizedText]) {
        for text in texts {
            #expect(!text.indonesian.contains("LANJUT"), "\(text.indonesian)")
            #expect(!text.english.contains("LANJUT"), "\(text.english)")
        }
    }

    @Test("a status before any code names the configured command, to the holder and to the operator")
    func statusBeforeAnyCode() async throws {
        let harness = try Harness.make(.memory)
        let service = harness.sibling { $0.codeRequestAction = Self.command }
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let own = try await service.deliveryStatus(for: ptk.id, by: ptk.id)
        let masked = ptk.email!.masked
        #expect(
            own.explanation.indonesian
                == "Belum ada kode yang diminta. Kode akan dikirim ke \(masked) setelah Anda memintanya dengan "
                + "perintah 'cli ptk continue --as budi.santoso'.")
        #expect(
            own.explanation.english
                == "No code has been asked for. It will go to \(masked) once you ask for it with the command "
                + "'cli ptk continue --as budi.santoso'.")
        let forStaff = try await service.deliveryStatus(for: ptk.id, by: manager.id)
        #expect(
            forStaff.explanation.english
                == "No code has been asked for. It will go to \(masked) once the account's holder asks for it "
                + "with the command 'cli ptk continue --as budi.santoso'.")
        let other = try await harness.createSchool(
            npsn: "20100102", email: "operator@sdn2.sch.id", username: "operator2")
        let operatorOwn = try await service.deliveryStatus(for: other.id, by: other.id)
        #expect(
            operatorOwn.explanation.indonesian.hasSuffix("perintah 'cli operator request-code --as operator2'."),
            "\(operatorOwn.explanation.indonesian)")
        Self.expectNoButton([own.explanation, forStaff.explanation, operatorOwn.explanation])
    }

    @Test("a code typed before any was sent, or after the address changed, names the configured command")
    func submissionsNameTheCommand() async throws {
        let harness = try Harness.make(.memory)
        let service = harness.sibling { $0.codeRequestAction = Self.command }
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let none = try await service.submitCode("123456", for: ptk.id, by: ptk.id)
        #expect(none.outcome == .noCodeIssued)
        #expect(
            none.message.indonesian
                == "Belum ada kode verifikasi yang dikirim. Minta kode dengan perintah 'cli ptk continue --as "
                + "budi.santoso'.")
        #expect(
            none.message.english
                == "No verification code has been sent yet. Ask for one with the command 'cli ptk continue --as "
                + "budi.santoso'.")

        _ = try await harness.requestedCode(for: ptk)
        harness.clock.advance(by: 60)
        _ = try await harness.service.correctEmail(
            to: try EmailAddress("budi.benar@gmail.com"), password: Harness.ptkPassword, by: ptk.id)
        let moved = try await service.submitCode("123456", for: ptk.id, by: ptk.id)
        #expect(moved.outcome == .noCodeIssued)
        #expect(
            moved.message.english.contains(
                "Ask for a new code with the command 'cli ptk continue --as budi.santoso'; it goes to"),
            "\(moved.message.english)")
        #expect(
            moved.message.indonesian.contains(
                "Minta kode baru dengan perintah 'cli ptk continue --as budi.santoso'; kode baru akan dikirim ke"),
            "\(moved.message.indonesian)")
        Self.expectNoButton([none.message, moved.message])
    }

    @Test("by default the texts name the Dapodik portal's LANJUT button")
    func defaultIsTheLanjutButton() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let none = try await harness.service.submitCode("123456", for: ptk.id, by: ptk.id)
        #expect(none.message.indonesian == "Belum ada kode verifikasi yang dikirim. Minta kode dengan tombol LANJUT.")
        #expect(
            none.message.english
                == "No verification code has been sent yet. Ask for one with the LANJUT (continue) button.")
    }
}
