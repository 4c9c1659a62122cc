import DapodikVerification
import Foundation

/// Maps an error thrown by the library to the program's exit status, keeping its message and
/// adding what a person needs to act on it (the suggested address, when to try again).
enum ErrorClassification {
    /// The exit status and message for any error.
    /// - Parameters:
    ///   - error: What a command threw.
    ///   - zone: The time zone of the logged-in person's school, for the times the message gives;
    ///     `nil` before anyone logged in.
    /// - Returns: A ``CLIError`` with the error's message and the status that fits it.
    static func classify(_ error: any Error, zone: SchoolTimeZone? = nil) -> CLIError {
        switch error {
        case let error as CLIError: return error
        case let error as VerificationError: return classify(error, zone: zone)
        case let error as KeyFileError: return classify(error)
        case let error as MailTransportError:
            let status: ExitStatus =
                switch error.disposition {
                case .transient: .temporaryFailure
                case .permanent: .refused
                case .misconfigured: .unavailable
                }
            return CLIError(
                CLIError.Code(error.code.rawValue), status: status, indonesian: error.message.indonesian,
                english: error.message.english)
        case let error as StoreError:
            let message = error.commandLineMessage
            // A store held too long by another process, or out of reach, may be usable later: waiting fixes it.
            let waitingFixes = error.code == .lockTimeout || error.isTransient
            return CLIError(
                CLIError.Code(error.code.rawValue), status: waitingFixes ? .temporaryFailure : .ioError,
                indonesian: message.indonesian, english: message.english)
        case let error as ValidationError:
            return CLIError(
                CLIError.Code("invalid." + error.code.rawValue), status: .dataError,
                indonesian: error.message.indonesian, english: error.message.english)
        case let failure as any LocalizedFailure:
            return CLIError(
                CLIError.Code(String(describing: type(of: failure))), status: .refused,
                indonesian: failure.message.indonesian, english: failure.message.english)
        default:
            let description = String(describing: error)
            return CLIError(
                CLIError.Code("unexpected"), status: .ioError, indonesian: "Kesalahan tak terduga: \(description)",
                english: "Unexpected error: \(description)")
        }
    }

    /// A key file failure: its own refusals (retiring an unknown or current key: 1, too early: 75,
    /// `keyStillInUse`) keep the CLI's stable codes; everything else is the data directory's I/O (74). A key file lost
    /// from a store in use is told how to make new keys with this program.
    static func classify(_ error: KeyFileError) -> CLIError {
        let (code, status): (CLIError.Code, ExitStatus) =
            switch error.code {
            case .keyMismatch: (.keyMismatch, .ioError)
            case .unknownKey, .currentKey: (.notFound, .refused)
            case .keyStillInUse: (.keyStillInUse, .temporaryFailure)
            case .lockTimeout: (.keyFileLocked, .temporaryFailure)
            default: (.dataDirectory, .ioError)
            }
        let (indonesianHint, englishHint) =
            error.code == .missingForUsedStore
            ? (
                " Kunci baru dibuat dengan 'dapodik-verify key rotate'.",
                " New keys are made with 'dapodik-verify key rotate'."
            )
            : ("", "")
        return CLIError(
            code, status: status, indonesian: error.message.indonesian + indonesianHint,
            english: error.message.english + englishHint)
    }

    static func classify(_ error: VerificationError, zone: SchoolTimeZone? = nil) -> CLIError {
        // The rule of ExitStatus: what waiting fixes is 75 (every refusal that says when to try
        // again), a value that is not valid is 65, the rest is a refusal.
        let status: ExitStatus =
            switch error.code {
            case .storage: .ioError
            case .busy: .temporaryFailure
            // A person must act (run 'store reserve-mailboxes') before this works: EX_UNAVAILABLE.
            case .storeNeedsUpgrade: .unavailable
            case .invalidInput, .possibleTypo, .unknownCursor: .dataError
            default: error.retryAt != nil ? .temporaryFailure : .refused
            }
        var indonesian = error.message.indonesian
        var english = error.message.english
        // A full disk or a poisoned store: this program's advice, not the library's ("reopen the store").
        if let store = error.storeError, store.code == .poisoned || store.errno == ENOSPC || store.errno == EDQUOT {
            indonesian = store.commandLineMessage.indonesian
            english = store.commandLineMessage.english
        }
        if error.code == .storeNeedsUpgrade {
            indonesian += " Administrator: jalankan sekali 'dapodik-verify store reserve-mailboxes'."
            english += " Administrator: run 'dapodik-verify store reserve-mailboxes' once."
        }
        if error.suggestion != nil {
            indonesian += " Bila alamat ini memang benar, ulangi dengan --accept-unusual-domain."
            english += " If the address really is right, repeat with --accept-unusual-domain."
        }
        if let retryAt = error.retryAt {
            // The time replaces the message's own vague "try again later", not follows it.
            if indonesian.hasSuffix(" Coba lagi nanti.") { indonesian.removeLast(" Coba lagi nanti.".count) }
            if english.hasSuffix(" Try again later.") { english.removeLast(" Try again later.".count) }
            indonesian += " Coba lagi mulai \(time(retryAt, in: zone, .indonesian))."
            english += " Try again from \(time(retryAt, in: zone, .english))."
        }
        return CLIError(CLIError.Code(error.code.rawValue), status: status, indonesian: indonesian, english: english)
    }

    /// A "try again from" instant in the school's zone, rounded up to the whole minute (never shown
    /// earlier than it is); before a login (a refused login: the school is not known,
    /// and must not be told) in all three zones: `Senin, … pukul 08.05 WIB / 09.05 WITA / 10.05 WIT`.
    static func time(_ date: Date, in zone: SchoolTimeZone?, _ language: Language) -> String {
        if let zone { return zone.formattedDateTime(notBefore: date, language: language) }
        let others = [SchoolTimeZone.wita, .wit].map { $0.formattedTime(notBefore: date, language: language) }
        return ([SchoolTimeZone.wib.formattedDateTime(notBefore: date, language: language)] + others)
            .joined(separator: " / ")
    }
}
