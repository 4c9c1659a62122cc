import DapodikAccounts
import Foundation
import Testing

@testable import DapodikCodes

/// A fixed instant to drive time by hand: 2025-08-25 01:00:00 UTC (08:00 WIB), a Monday in the
/// week before the school-funding cut-off.
let start = Date(timeIntervalSince1970: 1_756_083_600)

extension Date {
    /// This instant plus `seconds`.
    func plus(_ seconds: TimeInterval) -> Date { addingTimeInterval(seconds) }
}

let minute: TimeInterval = 60
let hour: TimeInterval = 3600

func keyID(_ text: String) -> CodeKeyID { try! CodeKeyID(text) }

func key(_ id: String, byte: UInt8) -> CodeKey {
    try! CodeKey(id: keyID(id), material: [UInt8](repeating: byte, count: 32))
}

let ring = try! CodeKeyRing(current: key("k1", byte: 0x11))

func code(_ digits: String) -> VerificationCode { try! VerificationCode(parsing: digits) }

func address(_ text: String = "guru.ptk@gmail.com") -> EmailAddress { try! EmailAddress(text) }

func openChallenge(
    address text: String = "guru.ptk@gmail.com", at time: Date = start, accountCodesIssuedBefore: [Date] = []
) -> VerificationChallenge {
    VerificationChallenge(
        account: AccountID(UUID()), purpose: .staffAddress, address: address(text), createdAt: time,
        accountCodesIssuedBefore: accountCodesIssuedBefore)
}

extension VerificationPolicy {
    /// `challenge` with `digits` issued at `time`, the policy's limits checked against the
    /// challenge's own sends only.
    func issue(
        _ digits: String, on challenge: VerificationChallenge, at time: Date, keyRing: CodeKeyRing = ring
    ) throws -> VerificationChallenge {
        try issuing(
            code(digits), on: challenge, at: time, recentSendsToAddress: challenge.codes.map(\.issuedAt),
            keyRing: keyRing)
    }
}
