import Foundation
import Testing

@testable import DapodikVerification

/// A refused request for a code says where the account's codes went as it was: an earlier address
/// is named only when a code really went to one.
@Suite("a refused request for a code tells the truth about the address", .timeLimit(.minutes(10)))
struct ResendRefusalWordingTests {
    @Test("a second request within the cooldown, to the same address, says the code went to that address")
    func cooldownForTheSameAddress() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        _ = try await harness.requestedCode(for: ptk)
        harness.clock.advance(by: 20)
        let refused = try #require(
            await #expect(throws: VerificationError.self) {
                _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
            })
        #expect(refused.code == .resendNotAllowed)
        let masked = ptk.email!.masked
        #expect(
            refused.message.indonesian
                == "Kode untuk \(masked) baru saja diminta. Tunggu sebentar sebelum meminta kode lagi.")
        #expect(
            refused.message.english
                == "A code for \(masked) was just asked for. Please wait a moment before asking for another.")
        for text in [refused.message.indonesian, refused.message.english] {
            #expect(!text.contains("sebelumnya") && !text.contains("earlier"), "\(text)")
        }
    }

    @Test("a request within the cooldown after a correction names the earlier address the code went to")
    func cooldownAfterCorrection() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        _ = try await harness.requestedCode(for: ptk)
        harness.clock.advance(by: 20)
        let moved = try await harness.service.correctEmail(
            to: try EmailAddress("ani.benar@yahoo.co.id"), password: Harness.ptkPassword, by: ptk.id)
        let refused = try #require(
            await #expect(throws: VerificationError.self) {
                _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
            })
        let (earlier, current) = (ptk.email!.masked, moved.email!.masked)
        #expect(
            refused.message.indonesian
                == "Kode untuk akun ini baru saja diminta ke alamat email sebelumnya (\(earlier)). Tunggu sebentar "
                + "sebelum meminta kode ke \(current).")
        #expect(
            refused.message.english
                == "A code was just asked for on this account, to its earlier e-mail address (\(earlier)). Please "
                + "wait a moment before asking for one to \(current).")
    }

    @Test("the account's daily budget spent on one address does not speak of earlier addresses")
    func dailyBudgetOnOneAddress() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        // The address may take more than the account's budget, so the account's is the limit met.
        let service = try harness.sibling { $0.policy = try VerificationPolicy(maximumMailsPerAddressPerDay: 20) }
        for _ in 0..<service.configuration.policy.maximumCodesPerAccountPerDay {
            _ = try await service.requestCode(for: ptk.id, by: ptk.id)
            harness.clock.advance(by: 61)
        }
        let refused = try #require(
            await #expect(throws: VerificationError.self) {
                _ = try await service.requestCode(for: ptk.id, by: ptk.id)
            })
        #expect(refused.code == .resendNotAllowed)
        #expect(
            refused.message.indonesian
                == "Akun ini sudah dikirimi batas maksimal kode verifikasi dalam 24 jam. Silakan coba lagi nanti.")
        #expect(!refused.message.english.contains("before"), "\(refused.message.english)")
    }
}
