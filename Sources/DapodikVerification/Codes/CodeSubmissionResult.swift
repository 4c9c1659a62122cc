import DapodikAccounts
public import DapodikLanguage
import DapodikMail

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a submitted code did (SIMPAN), with a message for the person who typed it.
public struct CodeSubmissionResult: Sendable, Hashable {
    /// The outcome of one submission.
    public enum Outcome: Sendable, Hashable {
        /// The code was right: the e-mail address is now verified.
        case verified
        /// The address was already verified (by an earlier or concurrent submission).
        case alreadyVerified
        /// The code is wrong; this many attempts are left in the challenge.
        case wrong(attemptsLeft: Int)
        /// The code was right but has expired; ask for a new one.
        case expired
        /// Too many wrong codes: this challenge accepts no more; ask for a new one.
        case attemptsExhausted
        /// No code has been sent yet to the account's address: none at all, or only to an address it
        /// had before (the message then says the address was changed and those codes no longer work).
        case noCodeIssued
        /// The code can no longer be checked: the code keys it was made under were replaced (a key
        /// retired, or the key file lost and made anew). Not counted as a wrong attempt; ask for a
        /// new code.
        case uncheckable
        /// The code is one of an earlier request that a newer one replaced (asking for a code after
        /// the earlier request had sent all it may starts afresh and ends its codes). Not counted as
        /// a wrong attempt; the code of the newest e-mail is the one to enter.
        case replaced
    }

    /// The outcome.
    public var outcome: Outcome
    /// What to tell the person, in Indonesian and English.
    public var message: LocalizedText

    /// Creates a result.
    /// - Parameters:
    ///   - outcome: The outcome.
    ///   - message: What to tell the person.
    public init(outcome: Outcome, message: LocalizedText) {
        self.outcome = outcome
        self.message = message
    }

    /// The result of what the policy decided (``VerificationPolicy/evaluate(_:for:at:keyRing:)``):
    /// the one place its outcome becomes the person's. `action` names how a code is asked for in
    /// the front end (``VerificationService/Configuration/codeRequestAction``).
    init(_ outcome: SubmissionOutcome, asking action: LocalizedText) {
        self = .make(Outcome(outcome), asking: action)
    }

    /// The result of `outcome`, its message telling how to ask for a code with `action`.
    static func make(_ outcome: Outcome, asking action: LocalizedText) -> CodeSubmissionResult {
        let message: LocalizedText
        switch outcome {
        case .verified:
            message = LocalizedText(
                indonesian:
                    "Email berhasil diverifikasi. Status akan tampil di aplikasi Dapodik setelah sinkronisasi berikutnya.",
                english: "The e-mail address is verified. The Dapodik application shows it after the next sync.")
        case .alreadyVerified:
            message = LocalizedText(
                indonesian: "Email ini sudah terverifikasi.", english: "This e-mail address is already verified.")
        case .wrong(attemptsLeft: 0):
            message = LocalizedText(
                indonesian: "Kode verifikasi salah. Itu percobaan terakhir: kode yang sudah dikirim tidak diterima "
                    + "lagi. Minta kode baru.",
                english: "The verification code is wrong. That was the last attempt: the codes sent are no longer "
                    + "accepted. Ask for a new code.")
        case .wrong(let left):
            message = LocalizedText(
                indonesian: "Kode verifikasi salah. Sisa percobaan: \(left).",
                english: "The verification code is wrong. Attempts left: \(left).")
        case .expired:
            message = LocalizedText(
                indonesian: "Kode verifikasi sudah kedaluwarsa. Minta kode baru.",
                english: "The verification code has expired. Ask for a new one.")
        case .attemptsExhausted:
            message = LocalizedText(
                indonesian: "Terlalu banyak kode salah. Minta kode baru untuk mencoba lagi.",
                english: "Too many wrong codes. Ask for a new code to try again.")
        case .uncheckable:
            message = LocalizedText(
                indonesian: "Kode ini tidak dapat diperiksa lagi karena kunci kode sudah diganti. Minta kode baru; "
                    + "percobaan ini tidak dihitung.",
                english: "This code can no longer be checked because the code keys were replaced. Ask for a new "
                    + "code; this attempt was not counted.")
        case .replaced:
            message = LocalizedText(
                indonesian: "Kode ini dari permintaan sebelumnya, yang sudah diganti ketika kode baru diminta: "
                    + "kode-kodenya tidak berlaku lagi. Masukkan kode dari email terbaru (lihat statusnya); "
                    + "percobaan ini tidak dihitung.",
                english: "This code is from an earlier request, which was replaced when a new code was asked for: "
                    + "its codes no longer work. Enter the code from the newest e-mail (see its status); this "
                    + "attempt was not counted.")
        case .noCodeIssued:
            message = LocalizedText(
                indonesian: "Belum ada kode verifikasi yang dikirim. Minta kode dengan \(action.indonesian).",
                english: "No verification code has been sent yet. Ask for one with \(action.english).")
        }
        return CodeSubmissionResult(outcome: outcome, message: message)
    }
}

extension CodeSubmissionResult {
    /// ``Outcome/noCodeIssued`` for a code typed after the account's address changed from
    /// `earlier`, to which the codes went (to `current`, or away and back): the person holds a code
    /// that was sent, and is told why it no longer works, and to ask for a new one with `action`.
    static func addressChanged(
        from earlier: EmailAddress, to current: EmailAddress, asking action: LocalizedText
    ) -> CodeSubmissionResult {
        // Two addresses can look alike masked (g•••@gmail.com): then the earlier one is not shown.
        let sent =
            earlier.masked == current.masked
            ? LocalizedText(indonesian: "ke alamat sebelumnya", english: "to the earlier address")
            : LocalizedText(indonesian: "ke \(earlier.masked)", english: "to \(earlier.masked)")
        return CodeSubmissionResult(
            outcome: .noCodeIssued,
            message: LocalizedText(
                indonesian: "Alamat email akun ini sudah diganti sejak kode dikirim \(sent.indonesian): kode yang "
                    + "dikirim ke sana tidak berlaku lagi. Minta kode baru dengan \(action.indonesian); kode baru "
                    + "akan dikirim ke \(current.masked).",
                english: "The account's e-mail address was changed since codes were sent \(sent.english): those "
                    + "codes no longer work. Ask for a new code with \(action.english); it goes to "
                    + "\(current.masked)."))
    }
}

extension CodeSubmissionResult {
    /// This result with its "ask for a new code" made true: a new code may be asked for only from
    /// `allowedAt` (said on the school's clock, `zone`), or only after an unlock (`nil`), which for
    /// an account of `role` the school operator does, or for an operator an administrator.
    func waitingForNewCode(_ allowedAt: Date?, in zone: SchoolTimeZone, role: Role) -> CodeSubmissionResult {
        let when =
            allowedAt.map {
                LocalizedText(
                    indonesian: "Kode baru dapat diminta mulai "
                        + zone.formattedDateTime(notBefore: $0, language: .indonesian) + ".",
                    english: "A new code can be asked for from "
                        + zone.formattedDateTime(notBefore: $0, language: .english) + ".")
            }
            ?? (role == .operator
                ? LocalizedText(
                    indonesian: "Kode baru dapat diminta setelah administrator sistem membuka kunci akun.",
                    english: "A new code can be asked for once an administrator of the system unlocks the account.")
                : LocalizedText(
                    indonesian: "Kode baru dapat diminta setelah operator sekolah membuka kunci akun.",
                    english: "A new code can be asked for once the school operator unlocks the account."))
        let base: LocalizedText =
            outcome == .attemptsExhausted
            ? LocalizedText(indonesian: "Terlalu banyak kode salah.", english: "Too many wrong codes.")
            : LocalizedText(
                indonesian:
                    "Kode verifikasi salah. Itu percobaan terakhir: kode yang sudah dikirim tidak diterima lagi.",
                english: "The verification code is wrong. That was the last attempt: the codes sent are no longer "
                    + "accepted.")
        return CodeSubmissionResult(
            outcome: outcome,
            message: LocalizedText(
                indonesian: base.indonesian + " " + when.indonesian, english: base.english + " " + when.english))
    }
}

extension CodeSubmissionResult.Outcome {
    /// The policy's outcome as the person is told it: without the code's ordinal (the event keeps
    /// it), and a cancelled challenge as no code at all (a new one must be asked for).
    init(_ outcome: SubmissionOutcome) {
        switch outcome {
        case .verified: self = .verified
        case .wrong(let left): self = .wrong(attemptsLeft: left)
        case .expired: self = .expired
        case .attemptsExhausted: self = .attemptsExhausted
        case .alreadyVerified: self = .alreadyVerified
        case .noCodeIssued, .cancelled: self = .noCodeIssued
        case .uncheckable: self = .uncheckable
        }
    }
}
