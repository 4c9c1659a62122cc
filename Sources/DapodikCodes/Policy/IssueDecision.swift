package import DapodikLanguage

#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

/// What is left of the limits on issuing codes.
package struct IssueQuota: Sendable, Hashable {
    /// Codes the challenge may still issue (``VerificationPolicy/maximumCodesPerChallenge`` less
    /// those issued).
    public let codesLeftInChallenge: Int
    /// Code mails the address may still receive in the 24 hours ending now
    /// (``VerificationPolicy/maximumMailsPerAddressPerDay`` less those sent).
    public let mailsLeftToAddress: Int
    /// Codes the account may still be sent in the 24 hours ending now, across its challenges
    /// (``VerificationPolicy/maximumCodesPerAccountPerDay`` less those issued).
    public let codesLeftToAccount: Int

    /// Creates a quota.
    /// - Parameters:
    ///   - codesLeftInChallenge: Codes the challenge may still issue.
    ///   - mailsLeftToAddress: Code mails the address may still receive in the current 24 hours.
    ///   - codesLeftToAccount: Codes the account may still be sent in the current 24 hours.
    public init(codesLeftInChallenge: Int, mailsLeftToAddress: Int, codesLeftToAccount: Int) {
        self.codesLeftInChallenge = codesLeftInChallenge
        self.mailsLeftToAddress = mailsLeftToAddress
        self.codesLeftToAccount = codesLeftToAccount
    }

    /// How many more codes can be sent now: the least of the three.
    public var codesLeft: Int { min(codesLeftInChallenge, mailsLeftToAddress, codesLeftToAccount) }
}

/// Why the policy refuses to issue a code now.
package enum IssueRefusalReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The challenge is verified; no code is needed.
    case alreadyVerified
    /// The challenge was cancelled; start a new one.
    case cancelled
    /// The challenge took its last wrong attempt and is locked; start a new one.
    case attemptsExhausted
    /// The challenge issued its ``VerificationPolicy/maximumCodesPerChallenge`` codes; start a new one.
    case codeLimitReached
    /// The last code was issued less than ``VerificationPolicy/resendCooldown`` ago.
    case cooldown
    /// The address received ``VerificationPolicy/maximumMailsPerAddressPerDay`` code mails in the
    /// last 24 hours.
    case addressDailyLimit
    /// The account was sent ``VerificationPolicy/maximumCodesPerAccountPerDay`` codes in the last
    /// 24 hours, across its challenges (to every address it had).
    case accountDailyLimit

    /// Whether waiting helps: `true` for ``cooldown``, ``addressDailyLimit`` and ``accountDailyLimit``.
    public var isTemporary: Bool { self == .cooldown || self == .addressDailyLimit || self == .accountDailyLimit }

    /// An explanation for the person who asked for a code. Times are left to the caller, who shows
    /// them in the school's time zone.
    public var message: LocalizedText {
        switch self {
        case .alreadyVerified:
            LocalizedText(
                indonesian: "Email ini sudah terverifikasi; kode baru tidak diperlukan.",
                english: "This e-mail address is already verified; no new code is needed.")
        case .cancelled:
            LocalizedText(
                indonesian: "Permintaan verifikasi ini sudah dibatalkan. Silakan mulai verifikasi baru.",
                english: "This verification was cancelled. Please start a new verification.")
        case .attemptsExhausted:
            LocalizedText(
                indonesian: "Terlalu banyak kode salah dimasukkan, sehingga verifikasi ini dikunci. "
                    + "Silakan mulai verifikasi baru.",
                english: "Too many wrong codes were entered, so this verification is locked. "
                    + "Please start a new verification.")
        case .codeLimitReached:
            LocalizedText(
                indonesian: "Batas jumlah kode untuk verifikasi ini sudah tercapai. Silakan mulai verifikasi baru.",
                english: "This verification has sent all the codes it may. Please start a new verification.")
        case .cooldown:
            LocalizedText(
                // "Asked for", not "sent": the cooldown runs from the request, whether or not its e-mail
                // has gone out (or ever will); the status says which. Which address it went to is not
                // the policy's to know: the service says so when it does.
                indonesian: "Kode untuk akun ini baru saja diminta. Tunggu sebentar sebelum meminta kode lagi.",
                english: "A code was just asked for on this account. Please wait a moment before asking for another.")
        case .addressDailyLimit:
            LocalizedText(
                indonesian: "Alamat email ini sudah menerima batas maksimal email kode dalam 24 jam. "
                    + "Silakan coba lagi nanti.",
                english: "This e-mail address has received the most code e-mails allowed in 24 hours. "
                    + "Please try again later.")
        case .accountDailyLimit:
            LocalizedText(
                // Counted across every address the account had, whether or not it had another.
                indonesian: "Akun ini sudah dikirimi batas maksimal kode verifikasi dalam 24 jam. "
                    + "Silakan coba lagi nanti.",
                english: "This account has been sent the most verification codes allowed in 24 hours. "
                    + "Please try again later.")
        }
    }
}

/// The policy's answer to "may a code be issued now?".
package enum IssueDecision: Sendable, Hashable {
    /// Yes. The quota counts what is left *before* this code is issued (both at least 1).
    case allowed(quota: IssueQuota)
    /// No, for `reason`. `allowedAt` is when asking again will succeed (as far as this challenge and
    /// address can tell), or `nil` when waiting does not help.
    case refused(reason: IssueRefusalReason, allowedAt: Date?, quota: IssueQuota)

    /// Whether a code may be issued.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
