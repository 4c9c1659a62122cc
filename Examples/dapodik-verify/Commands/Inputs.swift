import DapodikVerification
import Foundation

/// Validates values typed on the command line with the library's own types, turning a
/// ``ValidationError`` into a refusal that names the option.
enum Inputs {
    /// An option's text as an ``EmailAddress`` (for an ``Option``'s conversion).
    static let emailAddress: Option<EmailAddress>.Convert = { text, option throws(CLIError) in
        try email(text, option: option)
    }

    /// An option's text as a ``DisplayName`` (for an ``Option``'s conversion).
    static let displayName: Option<DisplayName>.Convert = { text, option throws(CLIError) in
        try name(text, option: option)
    }

    /// An option's text as an ``NPSN`` (for an ``Option``'s conversion).
    static let npsn: Option<NPSN>.Convert = { text, option throws(CLIError) in
        do throws(ValidationError) { return try NPSN(text) } catch { throw refusal(error, option: option) }
    }

    /// A conversion to a whole number within `range`.
    static func wholeNumber(in range: ClosedRange<Int>) -> Option<Int>.Convert {
        { text, option throws(CLIError) in
            guard let value = Int(text), range.contains(value) else {
                throw CLIError.invalidValue(
                    indonesian: "--\(option) harus bilangan bulat \(range.lowerBound) sampai \(range.upperBound).",
                    english: "--\(option) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            }
            return value
        }
    }

    static func email(_ text: String, option: String) throws(CLIError) -> EmailAddress {
        do { return try EmailAddress(text) } catch { throw refusal(error, option: option) }
    }

    static func name(_ text: String, option: String) throws(CLIError) -> DisplayName {
        do { return try DisplayName(text) } catch { throw refusal(error, option: option) }
    }

    /// The username given with `--<option>`, or else the one made from the e-mail's local part.
    /// - Throws: A refusal naming `--<option>` for a given username; for a derived one, a refusal
    ///   that says where it came from and that `--<option>` can choose another.
    static func username(_ text: String?, email: EmailAddress, option: String) throws(CLIError) -> Username {
        if let text {
            do { return try Username(text) } catch { throw refusal(error, option: option) }
        }
        do {
            return try Username(email.localPart)
        } catch {
            throw CLIError(
                CLIError.Code("invalid." + error.code.rawValue), status: .dataError,
                indonesian: "Username bawaan '\(email.localPart)' (dari alamat \(email.value)) tidak dapat dipakai: "
                    + "\(error.message.indonesian) Pilih username dengan --\(option).",
                english: "The default username '\(email.localPart)' (from the address \(email.value)) cannot be "
                    + "used: \(error.message.english) Choose one with --\(option).")
        }
    }

    /// A conversion by one of the library's validating initializers; an empty text means "none".
    static func identifier<Value>(
        _ make: @escaping @Sendable (String) throws(ValidationError) -> Value
    ) -> Option<Value?>.Convert {
        { text, option throws(CLIError) in
            guard !text.isEmpty else { return nil }
            do throws(ValidationError) { return try make(text) } catch { throw refusal(error, option: option) }
        }
    }

    /// A value of `--<option>` that is not valid (exit status 65).
    static func refusal(_ error: ValidationError, option: String) -> CLIError {
        CLIError(
            CLIError.Code("invalid." + error.code.rawValue), status: .dataError,
            indonesian: "--\(option): \(error.message.indonesian)", english: "--\(option): \(error.message.english)")
    }

    /// Reads a new password (twice on a terminal).
    static func newPassword(for whom: String, _ console: Console) throws(CLIError) -> String {
        try PasswordReader.read(
            prompt: console.pick("Kata sandi baru untuk \(whom): ", "New password for \(whom): "),
            confirm: console.pick("Ulangi kata sandi baru: ", "Repeat the new password: "))
    }
}
