import DapodikVerification
import Foundation

/// Reads passwords without ever taking them from the command line (where `ps` and shell history
/// would show them): from the terminal with echo off, or, when standard input is not a terminal,
/// one line per password from standard input (so scripts can pipe them in).
enum PasswordReader {
    /// Reads one password.
    /// - Parameters:
    ///   - prompt: What to ask, in the person's language (shown on standard error, terminal only).
    ///   - confirm: On a terminal, ask a second time and insist both match (for new passwords).
    ///   - language: The language of error messages.
    /// - Returns: The password, without the line ending.
    /// - Throws: ``CLIError`` when standard input ends before a password (status 64), or the two
    ///   entries on a terminal differ (status 1). An empty line is *not* an error here: the password
    ///   policy of the library decides.
    static func read(prompt: String, confirm: String? = nil) throws(CLIError) -> String {
        let interactive = Console.isTerminal(0)
        let first = try readOne(prompt: prompt, interactive: interactive)
        if interactive, let confirm {
            let second = try readOne(prompt: confirm, interactive: true)
            guard first == second else {
                throw CLIError(
                    .passwordMismatch, status: .refused, indonesian: "Kedua kata sandi tidak sama.",
                    english: "The two passwords do not match.")
            }
        }
        return first
    }

    private static func readOne(prompt: String, interactive: Bool) throws(CLIError) -> String {
        guard interactive else {
            guard let line = readLine(strippingNewline: true) else {
                throw CLIError.usage(
                    .passwordUnavailable,
                    indonesian: "Kata sandi tidak ada: ketik di terminal, atau kirim satu baris per kata sandi "
                        + "lewat standard input (kata sandi tidak pernah diterima dari baris perintah).",
                    english: "No password: type it on a terminal, or send one line per password on standard "
                        + "input (passwords are never taken from the command line).")
            }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        var original = termios()
        let haveAttributes = tcgetattr(0, &original) == 0
        if haveAttributes {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(0, TCSAFLUSH, &silent)
        }
        defer { if haveAttributes { _ = tcsetattr(0, TCSANOW, &original) } }
        // The prompt comes after echo is off, so nothing typed in answer to it is ever shown.
        Console.write(prompt, to: .standardError)
        guard let line = readLine(strippingNewline: true) else {
            throw CLIError.usage(
                .passwordUnavailable, indonesian: "Kata sandi tidak dimasukkan.", english: "No password was entered.")
        }
        return line
    }
}
