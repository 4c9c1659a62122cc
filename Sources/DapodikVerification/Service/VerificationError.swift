package import DapodikStorage

#if canImport(FoundationEssentials)
    public import DapodikLanguage
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A request the verification service refused or could not complete.
///
/// Switch on ``code``; show ``message`` to a person (Indonesian by default, English on request).
/// Codes are open (static members on ``Code``), so new ones do not break clients, as in
/// swift-subprocess's `SubprocessError`. Whenever the service throws, nothing was changed.
public struct VerificationError: LocalizedFailure {
    /// What kind of refusal this is. Compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name of the code.
        public let rawValue: String

        /// Creates a code from its stable name.
        /// - Parameter rawValue: The code's name, e.g. `"authorization"`.
        package init(_ rawValue: String) { self.rawValue = rawValue }

        /// The code's stable name.
        public var description: String { rawValue }

        /// A value the caller passed does not meet its format; ``VerificationError/validation`` says which.
        public static let invalidInput = Code("invalidInput")
        /// The address is probably mistyped; ``VerificationError/suggestion`` holds the likely intended
        /// address. Pass `confirmingUnusualDomain: true` to keep the address as typed.
        public static let possibleTypo = Code("possibleTypo")
        /// The e-mail address already belongs to another account. Which account is never said.
        public static let emailInUse = Code("emailInUse")
        /// The username already belongs to another account.
        public static let usernameInUse = Code("usernameInUse")
        /// The caller may not do this to this account (another school, an unverified operator, a PTK
        /// acting on someone else).
        public static let authorization = Code("authorization")
        /// The account or school does not exist (only said to callers allowed to know).
        public static let notFound = Code("notFound")
        /// The school already exists.
        public static let schoolExists = Code("schoolExists")
        /// Wrong username/e-mail or password. The same answer whether or not the account exists, and
        /// while the account is blocked under its *other* identifier (the password is then not checked).
        public static let invalidCredentials = Code("invalidCredentials")
        /// Too many failed logins for this username or e-mail; ``VerificationError/retryAt`` says when
        /// the next try is accepted.
        public static let loginThrottled = Code("loginThrottled")
        /// A session from an earlier login no longer stands (``VerificationService/resume(_:)``): the
        /// account's password was changed or reset since, or the account is gone. Log in again.
        public static let sessionEnded = Code("sessionEnded")
        /// So many consecutive failed logins (``LoginThrottlePolicy/maximumConsecutiveFailures``)
        /// that only an unlock lets the account in again: its school's operator unlocks a PTK or
        /// principal, an administrator an operator. The same answer whether or not the account
        /// exists; ``VerificationError/retryAt`` is `nil`.
        public static let accountLocked = Code("accountLocked")
        /// Too many wrong codes for this account over time (across challenges); see
        /// ``AccountCodeLimits``. ``VerificationError/retryAt`` says when a code is accepted again,
        /// or is `nil` when only an unlock by the operator helps.
        public static let tooManyWrongCodes = Code("tooManyWrongCodes")
        /// The operator had more rows checked against the registered accounts in 24 hours than
        /// ``VerificationService/maximumStaffRowsCheckedPerDay``; ``VerificationError/retryAt`` says when
        /// enough of them have left the window (`nil` when the request alone is too large).
        public static let tooManyChecks = Code("tooManyChecks")
        /// The account has no e-mail address to verify.
        public static let noEmailAddress = Code("noEmailAddress")
        /// The e-mail address is already verified.
        public static let alreadyVerified = Code("alreadyVerified")
        /// A new code may not be sent now; ``VerificationError/retryAt`` says when, if ever.
        public static let resendNotAllowed = Code("resendNotAllowed")
        /// Too many concurrent changes to the same account, another process held the file store's
        /// lock longer than ``LockWaitPolicy/limit`` (a long compaction, import or backup, a stopped
        /// process), or a store over the network could not be reached
        /// (``StoreError/isTransient``); nothing was changed; try again.
        public static let busy = Code("busy")
        /// The store failed (I/O, corruption, closed). Nothing was acknowledged.
        public static let storage = Code("storage")
        /// Some rows of a batch cannot be registered; ``VerificationError/rowFailures`` lists every
        /// one with its reason. No row was registered.
        public static let invalidBatch = Code("invalidBatch")
        /// The batch has more rows than one commit may hold
        /// (``VerificationService/maximumStaffBatchSize``). No row was registered.
        public static let batchTooLarge = Code("batchTooLarge")
        /// The store was written before one account per mailbox and its accounts' mailboxes are not
        /// reserved yet: registering, changing or verifying an address waits until
        /// ``VerificationService/reserveMailboxes(progress:)`` has run once. Nothing was changed.
        public static let storeNeedsUpgrade = Code("storeNeedsUpgrade")
    }

    /// What kind of refusal this is.
    public let code: Code
    /// What went wrong, for a person.
    public let message: LocalizedText
    /// The validation failure behind ``Code/invalidInput``.
    public let validation: ValidationError?
    /// The likely intended address behind ``Code/possibleTypo``.
    public let suggestion: EmailAddress?
    /// When the refused action will be accepted, for ``Code/loginThrottled`` and
    /// ``Code/resendNotAllowed`` (`nil` when it never will be in this challenge).
    public let retryAt: Date?
    /// Every refused row behind ``Code/invalidBatch``, in row order; empty for other codes.
    public let rowFailures: [StaffBatchFailure]
    /// The store's own error behind ``Code/storage``, for a program of this package that gives its own
    /// advice (naming its command) instead of the store's.
    package private(set) var storeError: StoreError?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of refusal.
    ///   - message: What went wrong, for a person.
    ///   - validation: The validation failure, for ``Code/invalidInput``.
    ///   - suggestion: The likely intended address, for ``Code/possibleTypo``.
    ///   - retryAt: When the action will be accepted, if it will.
    ///   - rowFailures: The refused rows, for ``Code/invalidBatch``.
    public init(
        _ code: Code, message: LocalizedText, validation: ValidationError? = nil, suggestion: EmailAddress? = nil,
        retryAt: Date? = nil, rowFailures: [StaffBatchFailure] = []
    ) {
        self.code = code
        self.message = message
        self.validation = validation
        self.suggestion = suggestion
        self.retryAt = retryAt
        self.rowFailures = rowFailures
    }
}

extension VerificationError {
    /// The text for Foundation's `localizedDescription`, in Indonesian: ``message``, except for
    /// ``Code/storage`` and ``Code/busy``, whose messages carry the store's own words (file and lock
    /// names, database errors) for whoever runs the server. Those give a plain sentence for the person
    /// at the screen instead; ``message`` keeps the details.
    public var errorDescription: String? {
        switch code {
        case .storage: "Penyimpanan data gagal. Coba lagi nanti; bila berulang, hubungi administrator."
        case .busy: "Server sibuk, coba lagi sebentar lagi."
        default: message.indonesian
        }
    }

    static func invalid(_ error: ValidationError) -> VerificationError {
        VerificationError(.invalidInput, message: error.message, validation: error)
    }

    static func possibleTypo(_ typed: EmailAddress, suggestion: EmailAddress) -> VerificationError {
        VerificationError(
            .possibleTypo,
            message: LocalizedText(
                indonesian: "Mungkin maksud Anda \(suggestion.value)? Periksa lagi alamat \(typed.value); "
                    + "jika sudah benar, konfirmasi untuk tetap memakainya.",
                english: "Did you mean \(suggestion.value)? Check \(typed.value) again; "
                    + "if it is right, confirm to keep it."),
            suggestion: suggestion)
    }

    static let emailInUse = VerificationError(
        .emailInUse,
        message: LocalizedText(
            indonesian: "Alamat email ini sudah dipakai akun lain, mungkin ditulis dengan cara lain yang menuju kotak "
                + "surat yang sama (misalnya Gmail tidak membedakan titik dan mengabaikan bagian setelah tanda +). "
                + "Setiap akun memerlukan alamat email sendiri.",
            english: "This e-mail address is already used by another account, perhaps spelled another way that reaches "
                + "the same mailbox (Gmail, for one, ignores dots and whatever follows a +). Every account needs its "
                + "own."))

    static let mailboxRepeatedInBatch = VerificationError(
        .emailInUse,
        message: LocalizedText(
            indonesian: "Alamat email ini menuju kotak surat yang sama dengan alamat di baris sebelumnya dalam daftar "
                + "yang sama (misalnya Gmail tidak membedakan titik dan mengabaikan bagian setelah tanda +).",
            english: "This e-mail address reaches the same mailbox as the address on an earlier row of the same "
                + "list (Gmail, for one, ignores dots and whatever follows a +)."))

    static let emailRepeatedInBatch = VerificationError(
        .emailInUse,
        message: LocalizedText(
            indonesian: "Alamat email ini sudah ada di baris sebelumnya dalam daftar yang sama.",
            english: "This e-mail address is already on an earlier row of the same list."))

    static let usernameRepeatedInBatch = VerificationError(
        .usernameInUse,
        message: LocalizedText(
            indonesian: "Nama pengguna ini sudah ada di baris sebelumnya dalam daftar yang sama.",
            english: "This username is already on an earlier row of the same list."))

    static let emailIsEarlierUsername = VerificationError(
        .emailInUse,
        message: LocalizedText(
            indonesian: "Alamat email ini adalah nama pengguna di baris sebelumnya dalam daftar yang sama; satu nama "
                + "untuk masuk hanya untuk satu akun.",
            english: "This e-mail address is the username of an earlier row of the same list; a name to log in "
                + "with belongs to one account."))

    static let usernameIsEarlierEmail = VerificationError(
        .usernameInUse,
        message: LocalizedText(
            indonesian: "Nama pengguna ini adalah alamat email di baris sebelumnya dalam daftar yang sama; satu nama "
                + "untuk masuk hanya untuk satu akun.",
            english: "This username is the e-mail address of an earlier row of the same list; a name to log in "
                + "with belongs to one account."))

    static func invalidBatch(_ failures: [StaffBatchFailure], of count: Int) -> VerificationError {
        VerificationError(
            .invalidBatch,
            message: LocalizedText(
                indonesian: "\(failures.count) dari \(count) baris tidak dapat didaftarkan; tidak ada yang disimpan.",
                english: "\(failures.count) of \(count) rows cannot be registered; nothing was stored."),
            rowFailures: failures.sorted { $0.row < $1.row })
    }

    static func batchTooLarge(_ count: Int, maximum: Int) -> VerificationError {
        VerificationError(
            .batchTooLarge,
            message: LocalizedText(
                indonesian: "Daftar berisi \(count) baris; paling banyak \(maximum) baris sekali simpan. "
                    + "Tidak ada yang disimpan.",
                english: "The list has \(count) rows; at most \(maximum) can be stored at once. Nothing was stored."))
    }

    static let usernameInUse = VerificationError(
        .usernameInUse,
        message: LocalizedText(
            indonesian: "Nama pengguna ini sudah dipakai akun lain.",
            english: "This username is already used by another account."))

    static let authorization = VerificationError(
        .authorization,
        message: LocalizedText(
            indonesian: "Anda tidak berwenang melakukan ini pada akun tersebut.",
            english: "You are not allowed to do this to that account."))

    static let ownAccountNeedsPassword = VerificationError(
        .authorization,
        message: LocalizedText(
            indonesian: "Kata sandi dan email akun sendiri hanya dapat diubah dengan kata sandi saat ini "
                + "(ganti kata sandi, atau perbaiki email saat verifikasi).",
            english: "Your own password and e-mail address can be changed only with your current password "
                + "(change password, or correct the address during verification)."))

    static let unverifiedOperator = VerificationError(
        .authorization,
        message: LocalizedText(
            indonesian: "Verifikasi email akun operator Anda terlebih dahulu sebelum mengelola akun PTK.",
            english: "Verify your own operator e-mail address before managing PTK accounts."))

    static let notFound = VerificationError(
        .notFound,
        message: LocalizedText(indonesian: "Akun tidak ditemukan.", english: "The account was not found."))

    static let schoolNotFound = VerificationError(
        .notFound,
        message: LocalizedText(indonesian: "Sekolah tidak ditemukan.", english: "The school was not found."))

    static let schoolExists = VerificationError(
        .schoolExists,
        message: LocalizedText(
            indonesian: "Sekolah dengan NPSN ini sudah terdaftar.",
            english: "A school with this NPSN is already registered."))

    /// A login without a password: refused before anything is looked up or counted.
    static let passwordMissing = VerificationError(
        .invalidInput,
        message: LocalizedText(
            indonesian: "Kata sandi wajib diisi.", english: "The password is required."))

    static let invalidCredentials = VerificationError(
        .invalidCredentials,
        message: LocalizedText(
            indonesian: "Nama pengguna/email atau kata sandi salah. Bila Anda yakin keduanya benar, akun mungkin "
                + "sedang ditahan setelah banyak percobaan yang gagal: coba lagi nanti, atau minta operator sekolah "
                + "membukanya.",
            english: "Wrong username/e-mail or password. If you are sure both are right, the account may be held "
                + "after many failed attempts: try again later, or ask the school operator to unlock it."))

    static let sessionEnded = VerificationError(
        .sessionEnded,
        message: LocalizedText(
            indonesian: "Sesi Anda telah berakhir: kata sandi akun ini diganti sejak Anda masuk, atau akunnya "
                + "tidak ada lagi. Silakan masuk lagi.",
            english: "Your session has ended: this account's password was changed since you signed in, or the "
                + "account no longer exists. Please sign in again."))

    static func loginThrottled(until date: Date) -> VerificationError {
        VerificationError(
            .loginThrottled,
            message: LocalizedText(
                // Every attempt counts as it starts and is cleared when its password turns out right, so
                // attempts made at the same moment count too, right passwords or not: the message must
                // not say that they failed.
                indonesian: "Terlalu banyak percobaan masuk untuk akun ini dalam waktu singkat (gagal, atau "
                    + "bersamaan). Coba lagi nanti.",
                english: "Too many sign-in attempts for this account in a short time (failed, or at the same "
                    + "moment). Try again later."),
            retryAt: date)
    }

    static let accountLocked = VerificationError(
        .accountLocked,
        message: LocalizedText(
            indonesian: "Terlalu banyak percobaan masuk yang gagal, sehingga akun dikunci. "
                + "Minta operator sekolah (atau administrator, untuk akun operator) membukanya.",
            english: "Too many failed sign-in attempts, so the account is locked. "
                + "Ask the school operator (or an administrator, for an operator's account) to unlock it."))

    static func tooManyWrongCodes(until date: Date?) -> VerificationError {
        VerificationError(
            .tooManyWrongCodes,
            message: date == nil
                ? LocalizedText(
                    indonesian: "Terlalu banyak kode salah dimasukkan untuk akun ini. "
                        + "Minta operator sekolah (atau administrator) membuka kunci verifikasi.",
                    english: "Too many wrong codes were entered for this account. "
                        + "Ask the school operator (or an administrator) to unlock verification.")
                : LocalizedText(
                    indonesian: "Terlalu banyak kode salah dimasukkan untuk akun ini. Coba lagi nanti.",
                    english: "Too many wrong codes were entered for this account. Try again later."),
            retryAt: date)
    }

    static func tooManyChecks(until date: Date?) -> VerificationError {
        VerificationError(
            .tooManyChecks,
            message: LocalizedText(
                indonesian: "Terlalu banyak baris diperiksa terhadap akun terdaftar dalam 24 jam. Coba lagi nanti.",
                english: "Too many rows were checked against registered accounts in 24 hours. Try again later."),
            retryAt: date)
    }

    static let noEmailAddress = VerificationError(
        .noEmailAddress,
        message: LocalizedText(
            indonesian: "Akun ini belum memiliki alamat email aktif.",
            english: "This account has no active e-mail address yet."))

    static let alreadyVerified = VerificationError(
        .alreadyVerified,
        message: LocalizedText(
            indonesian: "Alamat email akun ini sudah terverifikasi.",
            english: "This account's e-mail address is already verified."))

    static let storeNeedsUpgrade = VerificationError(
        .storeNeedsUpgrade,
        message: LocalizedText(
            indonesian: "Layanan sedang diperbarui: alamat email belum dapat didaftarkan, diubah atau diverifikasi. "
                + "Tidak ada yang berubah; coba lagi nanti. Pembaruan ini diselesaikan oleh administrator layanan.",
            english: "The service is being upgraded: e-mail addresses cannot be registered, changed or verified "
                + "yet. Nothing was changed; try again later. The service's administrator finishes the upgrade."))

    static let busy = VerificationError(
        .busy,
        message: LocalizedText(
            indonesian: "Server sibuk, coba lagi sebentar lagi. Tidak ada yang berubah.",
            english: "The server is busy; try again shortly. Nothing was changed."))

    /// A store that is busy or out of reach for now, with its own words.
    /// What a public call throws for `error`, whatever threw it: a ``VerificationError`` as it is, a
    /// person's malformed value as ``Code-swift.struct/invalid``, a bad key or policy as
    /// ``Code-swift.struct/invalidCode``, a store out of reach for now as ``Code-swift.struct/busy``,
    /// anything else as ``Code-swift.struct/storage``.
    static func mapping(_ error: any Error) -> VerificationError {
        switch error {
        case let error as VerificationError: error
        case let error as ValidationError: .invalid(error)
        case let error as CodeError: .invalidCode(error)
        case let error as StoreError where error.code == .lockTimeout || error.isTransient: .storeHeldTooLong(error)
        default: .storage(error)
        }
    }

    static func storeHeldTooLong(_ error: StoreError) -> VerificationError {
        VerificationError(.busy, message: error.message)
    }

    static func storage(_ error: any Error) -> VerificationError {
        let detail = (error as? any LocalizedFailure)?.message
        var failure = VerificationError(
            .storage,
            message: LocalizedText(
                indonesian: "Penyimpanan data gagal; tidak ada yang berubah. " + (detail?.indonesian ?? ""),
                english: "The data store failed; nothing was changed. " + (detail?.english ?? "")))
        failure.storeError = error as? StoreError
        return failure
    }
}

extension VerificationError {
    /// Reading a bounce Maildir stopped at a message: the store failed, or the Maildir could not be
    /// listed or written. Says what was done before it, which a plain storage error would deny.
    static func maildirStopped(_ error: any Error, dealtWith count: Int) -> VerificationError {
        let given =
            (error as? any LocalizedFailure)?.message
            ?? LocalizedText(indonesian: String(describing: error), english: String(describing: error))
        func sentence(_ text: String) -> String { text.hasSuffix(".") ? text : text + "." }
        let detail = LocalizedText(indonesian: sentence(given.indonesian), english: sentence(given.english))
        return VerificationError(
            .storage,
            message: LocalizedText(
                indonesian: "Pembacaan Maildir pantulan berhenti: \(detail.indonesian) \(count) pesan sebelumnya "
                    + "sudah diproses dan dipindah ke cur/; pesan ini dan sesudahnya tetap di new/ untuk dijalankan "
                    + "lagi (pantulan yang sudah tercatat tidak dicatat dua kali).",
                english: "Reading the bounce Maildir stopped: \(detail.english) The \(count) messages before it were "
                    + "dealt with and moved to cur/; this one and those after it stay in new/ for the next run (a "
                    + "bounce already recorded is not recorded twice)."))
    }

    static func invalidCode(_ error: CodeError) -> VerificationError {
        VerificationError(.invalidInput, message: error.message)
    }
}
