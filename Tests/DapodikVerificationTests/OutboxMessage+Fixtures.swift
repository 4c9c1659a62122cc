import Foundation

@testable import DapodikVerification

extension OutboxMessage {
    /// A message carrying code 1 of `challenge` (without a sealed code), queued at `time` for
    /// `account` of `school`, then put in `state`.
    static func codeMessage(
        of challenge: VerificationChallenge, for account: Account, school: School, at time: Date,
        state: State = .queued
    ) -> OutboxMessage {
        var message = OutboxMessage(
            queuing: { _ in
                .verificationCode(
                    .init(
                        challenge: challenge.id, ordinal: 1, purpose: challenge.purpose, sealedCode: nil,
                        issuedAt: time, username: account.username.value))
            }, to: challenge.address, of: account, school: school, language: .indonesian, at: time,
            senderDomain: "dapodik.example.id")
        message.state = state
        return message
    }
}
