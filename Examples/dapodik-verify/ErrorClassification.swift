import DapodikVerification
import Foundation

/// Maps an error thrown by the library to the program's exit status, keeping its message and
/// adding what a person needs to act on it (the suggested address, when to try again).
enum ErrorClassification {
    /// The exit status and message for any error.
    /// - Parameter error: What a command threw.
    /// - Returns: A ``CLIError`` with the error's message and the status that fits it.
    static func classify(_ error: any Error) -> CLIError {
        switch error {
        case let error as CLIError: return error
        case let error as VerificationError: return classify(error)
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
            return CLIError(
                CLIError.Code(error.code.rawValue), status: .ioError, indonesian: error.message.indonesian,
                english: error.message.english)
        case let error as ValidationError:
            return CLIError(
                CLIError.Code("invalid." + error.code.rawValue), status: .refused,
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

    static func classify(_ error: VerificationError) -> CLIError {
        let status: ExitStatus =
            switch error.code {
            case .loginThrottled, .busy: .temporaryFailure
            case .storage: .ioError
            default: .refused
            }
        var indonesian = error.message.indonesian
        var english = error.message.english
        if error.suggestion != nil {
            indonesian += " Bila alamat ini memang benar, ulangi dengan --accept-unusual-domain."
            english += " If the address really is right, repeat with --accept-unusual-domain."
        }
        if let retryAt = error.retryAt {
            let time = SchoolTimeZone.wib
            indonesian += " Coba lagi mulai \(time.formattedDateTime(retryAt, language: .indonesian))."
            english += " Try again from \(time.formattedDateTime(retryAt, language: .english))."
        }
        return CLIError(CLIError.Code(error.code.rawValue), status: status, indonesian: indonesian, english: english)
    }
}
