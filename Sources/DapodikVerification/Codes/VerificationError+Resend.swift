#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension VerificationError {
    /// ``Code/resendNotAllowed`` for `reason`, until `date`, told with where the account's codes
    /// went, which the policy does not know: for the cooldown, whether the code just asked for went
    /// to `current` or to `lastCodeAddress`, an address the account had before; for the account's
    /// daily budget, whether codes to another address are among those counted. Otherwise (or when
    /// the last code's address is unknown) the policy's words, which are true either way.
    /// - Parameters:
    ///   - reason: Why the policy refused.
    ///   - date: When asking again succeeds, if it will.
    ///   - current: The account's address, where the next code goes.
    ///   - lastCodeAddress: The address of the account's newest code, if known.
    ///   - otherAddressesCounted: Whether codes of the last 24 hours went to another address.
    static func resendNotAllowed(
        reason: IssueRefusalReason, until date: Date?, to current: EmailAddress, lastCodeAddress: EmailAddress?,
        otherAddressesCounted: Bool
    ) -> VerificationError {
        let message: LocalizedText
        switch reason {
        case .cooldown where lastCodeAddress?.canonical == current.canonical:
            message = LocalizedText(
                indonesian: "Kode untuk \(current.masked) baru saja diminta. Tunggu sebentar sebelum meminta kode "
                    + "lagi.",
                english: "A code for \(current.masked) was just asked for. Please wait a moment before asking for "
                    + "another.")
        case .cooldown:
            guard let earlier = lastCodeAddress else {
                message = reason.message
                break
            }
            // Two addresses can look alike masked (g•••@gmail.com): then the earlier one is not shown.
            let shown = earlier.masked == current.masked ? "" : " (\(earlier.masked))"
            message = LocalizedText(
                indonesian: "Kode untuk akun ini baru saja diminta ke alamat email sebelumnya\(shown). Tunggu "
                    + "sebentar sebelum meminta kode ke \(current.masked).",
                english: "A code was just asked for on this account, to its earlier e-mail address\(shown). Please "
                    + "wait a moment before asking for one to \(current.masked).")
        case .accountDailyLimit where otherAddressesCounted:
            message = LocalizedText(
                indonesian: "Akun ini sudah dikirimi batas maksimal kode verifikasi dalam 24 jam, termasuk kode ke "
                    + "alamat email sebelumnya. Silakan coba lagi nanti.",
                english: "This account has been sent the most verification codes allowed in 24 hours, codes to an "
                    + "e-mail address it had before included. Please try again later.")
        default:
            message = reason.message
        }
        return VerificationError(.resendNotAllowed, message: message, retryAt: date)
    }
}
