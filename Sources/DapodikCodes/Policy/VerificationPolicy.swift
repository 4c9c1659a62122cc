internal import DapodikCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The rules for verification codes, and the pure functions that apply them.
///
/// Every decision is a function of a stored `VerificationChallenge`, an injected `now` and plain
/// inputs: nothing here reads a clock, a store or the network (design principle 1). The service
/// stores what these functions return.
///
/// The defaults, and where they come from:
/// - ``codeLength``: 6 digits (NIST SP 800-63B's minimum for out-of-band secrets; Ory Kratos,
///   Supabase and Amazon Cognito use 6).
/// - ``codeLifetimeAfterHandOver``: 30 minutes after the mail transport accepted the message.
///   NIST SP 800-63B allows 10 minutes for authentication codes and SP 800-63A up to 24 hours for
///   enrollment codes sent by e-mail; Kratos uses 1 hour, django-allauth 15 minutes. Counting from
///   the hand-over, not from the issue, means a code stuck in a slow queue is not dead on arrival.
/// - ``maximumCodeLifetime``: 24 hours after issue, whatever happened to the message (SP 800-63A's
///   limit for enrollment codes).
/// - ``maximumFailedAttempts``: 5 wrong codes per challenge, counted across resends (Kratos uses 5,
///   allauth 3; SP 800-63B: a new secret must not reset the count).
/// - ``resendCooldown``: 60 seconds between codes of a challenge (Supabase 60 s; Keycloak 30 s).
/// - ``maximumCodesPerChallenge``: 5 codes per challenge, so at most five codes are ever valid at
///   once; the service then starts a new challenge for the next code (the old one is cancelled, its
///   codes stop working), within the account's daily budget below.
/// - ``maximumMailsPerAddressPerDay``: 10 code mails per address in any 24 hours, across all
///   challenges and accounts, so the service cannot be used to flood a mailbox.
/// - ``maximumCodesPerAccountPerDay``: 10 codes per account in any 24 hours, across all its
///   challenges: two challenges' worth, so a person who corrects a mistyped address after using
///   every code of the first still gets a full second round, while one login cannot send a stream
///   of codes to address after address. None of the anchors has such a bound, because none lets
///   the person change the address inside a verification (design: step 3 of the flow). The
///   cooldown spans challenges too: a new challenge's first code waits ``resendCooldown`` after the
///   account's last code.
///
/// Earlier codes of a challenge stay valid while unexpired: mail arrives out of order, and a person
/// who asked again because the first mail was slow must not be failed by it arriving after all.
public struct VerificationPolicy: Sendable, Hashable {
    /// The number of digits in a code.
    public let codeLength: Int
    /// How long a code is accepted after its message was handed to a mail transport.
    public let codeLifetimeAfterHandOver: Duration
    /// How long a code is accepted after it was issued, at most: the cap for a hand-over that came
    /// late, and the whole lifetime of a code whose hand-over was never recorded.
    public let maximumCodeLifetime: Duration
    /// How many wrong codes a challenge takes; the last of them locks it (`ChallengeState.exhausted(at:)`).
    public let maximumFailedAttempts: Int
    /// The least time between two codes of one challenge.
    public let resendCooldown: Duration
    /// How many codes one challenge may issue, the first included.
    public let maximumCodesPerChallenge: Int
    /// How many code mails one address may receive in any 24 hours.
    public let maximumMailsPerAddressPerDay: Int
    /// How many codes one account may be sent in any 24 hours, across all its challenges.
    public let maximumCodesPerAccountPerDay: Int

    /// The window over which ``maximumMailsPerAddressPerDay`` counts.
    public static let addressWindow: Duration = .seconds(24 * 60 * 60)
    /// The window over which ``maximumCodesPerAccountPerDay`` counts.
    public static let accountWindow: Duration = .seconds(24 * 60 * 60)

    /// The policy with the documented defaults.
    public static let `default` = VerificationPolicy(
        checkedCodeLength: VerificationCode.defaultLength, codeLifetimeAfterHandOver: .seconds(30 * 60),
        maximumCodeLifetime: .seconds(24 * 60 * 60), maximumFailedAttempts: 5, resendCooldown: .seconds(60),
        maximumCodesPerChallenge: 5, maximumMailsPerAddressPerDay: 10, maximumCodesPerAccountPerDay: 10)

    /// A policy; every setting defaults to the documented value.
    /// - Parameters:
    ///   - codeLength: Digits per code, in ``VerificationCode/supportedLengths``.
    ///   - codeLifetimeAfterHandOver: Lifetime after hand-over; more than zero.
    ///   - maximumCodeLifetime: Lifetime cap after issue; at least `codeLifetimeAfterHandOver`.
    ///   - maximumFailedAttempts: Wrong codes per challenge; at least 1.
    ///   - resendCooldown: Time between codes of a challenge; zero or more.
    ///   - maximumCodesPerChallenge: Codes per challenge; at least 1.
    ///   - maximumMailsPerAddressPerDay: Code mails per address in 24 hours; at least 1.
    ///   - maximumCodesPerAccountPerDay: Codes per account in 24 hours, across its challenges; at
    ///     least 1.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/invalidPolicy`` naming the first setting
    ///   out of range.
    public init(
        codeLength: Int = VerificationCode.defaultLength,
        codeLifetimeAfterHandOver: Duration = .seconds(30 * 60),
        maximumCodeLifetime: Duration = .seconds(24 * 60 * 60),
        maximumFailedAttempts: Int = 5,
        resendCooldown: Duration = .seconds(60),
        maximumCodesPerChallenge: Int = 5,
        maximumMailsPerAddressPerDay: Int = 10,
        maximumCodesPerAccountPerDay: Int = 10
    ) throws(CodeError) {
        func invalid(_ setting: String, _ indonesian: String, _ english: String) -> CodeError {
            CodeError(.invalidPolicy, indonesian: "\(setting): \(indonesian)", english: "\(setting): \(english)")
        }
        guard VerificationCode.supportedLengths.contains(codeLength) else {
            throw invalid(
                "codeLength",
                "harus \(VerificationCode.supportedLengths.lowerBound) sampai "
                    + "\(VerificationCode.supportedLengths.upperBound) angka.",
                "must be \(VerificationCode.supportedLengths.lowerBound) to "
                    + "\(VerificationCode.supportedLengths.upperBound) digits.")
        }
        guard codeLifetimeAfterHandOver > .zero else {
            throw invalid("codeLifetimeAfterHandOver", "harus lebih dari nol.", "must be more than zero.")
        }
        guard maximumCodeLifetime >= codeLifetimeAfterHandOver else {
            throw invalid(
                "maximumCodeLifetime", "tidak boleh lebih pendek dari codeLifetimeAfterHandOver.",
                "must not be shorter than codeLifetimeAfterHandOver.")
        }
        guard maximumFailedAttempts >= 1 else {
            throw invalid("maximumFailedAttempts", "harus sedikitnya 1.", "must be at least 1.")
        }
        guard resendCooldown >= .zero else {
            throw invalid("resendCooldown", "tidak boleh negatif.", "must not be negative.")
        }
        guard maximumCodesPerChallenge >= 1 else {
            throw invalid("maximumCodesPerChallenge", "harus sedikitnya 1.", "must be at least 1.")
        }
        guard maximumMailsPerAddressPerDay >= 1 else {
            throw invalid("maximumMailsPerAddressPerDay", "harus sedikitnya 1.", "must be at least 1.")
        }
        guard maximumCodesPerAccountPerDay >= 1 else {
            throw invalid("maximumCodesPerAccountPerDay", "harus sedikitnya 1.", "must be at least 1.")
        }
        self.init(
            checkedCodeLength: codeLength, codeLifetimeAfterHandOver: codeLifetimeAfterHandOver,
            maximumCodeLifetime: maximumCodeLifetime, maximumFailedAttempts: maximumFailedAttempts,
            resendCooldown: resendCooldown, maximumCodesPerChallenge: maximumCodesPerChallenge,
            maximumMailsPerAddressPerDay: maximumMailsPerAddressPerDay,
            maximumCodesPerAccountPerDay: maximumCodesPerAccountPerDay)
    }

    private init(
        checkedCodeLength: Int, codeLifetimeAfterHandOver: Duration, maximumCodeLifetime: Duration,
        maximumFailedAttempts: Int, resendCooldown: Duration, maximumCodesPerChallenge: Int,
        maximumMailsPerAddressPerDay: Int, maximumCodesPerAccountPerDay: Int
    ) {
        self.codeLength = checkedCodeLength
        self.codeLifetimeAfterHandOver = codeLifetimeAfterHandOver
        self.maximumCodeLifetime = maximumCodeLifetime
        self.maximumFailedAttempts = maximumFailedAttempts
        self.resendCooldown = resendCooldown
        self.maximumCodesPerChallenge = maximumCodesPerChallenge
        self.maximumMailsPerAddressPerDay = maximumMailsPerAddressPerDay
        self.maximumCodesPerAccountPerDay = maximumCodesPerAccountPerDay
    }

    /// Reads a code typed by a person, with this policy's length (see
    /// ``VerificationCode/init(parsing:length:)`` for what is tolerated).
    /// - Parameter input: The text typed by the person.
    /// - Returns: The code.
    /// - Throws: ``CodeError`` (``CodeError/Code/empty``, ``CodeError/Code/invalidCharacter`` or
    ///   ``CodeError/Code/wrongLength``). A typing mistake caught here is *not* a wrong attempt.
    public func parseCode(_ input: String) throws(CodeError) -> VerificationCode {
        try VerificationCode(parsing: input, length: codeLength)
    }

    /// A new random code of this policy's length, from the system's secure generator.
    /// - Returns: The code, to mail and to pass to `issuing(_:on:at:recentSendsToAddress:keyRing:)`.
    public func generateCode() -> VerificationCode {
        var generator = SecureRandomGenerator()
        return VerificationCode.uniformlyRandom(length: codeLength, using: &generator)
    }
}
