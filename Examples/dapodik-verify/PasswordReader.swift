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
        var previousHandlers: [(Int32, sighandler_t?)] = []
        if haveAttributes {
            // A signal that ends the program at the prompt (Ctrl-C, a closed terminal, kill) must not
            // leave the terminal without echo: its handler restores the terminal first.
            savedTerminal = original
            previousHandlers = interruptions.map { ($0, signal($0, restoreTerminalAndEnd)) }
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(0, TCSAFLUSH, &silent)
        }
        defer {
            if haveAttributes {
                _ = tcsetattr(0, TCSANOW, &original)
                for (number, handler) in previousHandlers { signal(number, handler) }
            }
        }
        // The prompt comes after echo is off, so nothing typed in answer to it is ever shown.
        Console.write(prompt, to: .standardError)
        guard let line = readLine(strippingNewline: true) else {
            throw CLIError.usage(
                .passwordUnavailable, indonesian: "Kata sandi tidak dimasukkan.", english: "No password was entered.")
        }
        return line
    }
}

/// The signals that end the program by default while it waits at a password prompt.
private let interruptions = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

/// The terminal's settings before echo was turned off, for ``restoreTerminalAndEnd(_:)``: written
/// only before its handlers are installed, read only by them.
nonisolated(unsafe) private var savedTerminal = termios()

/// Restores the terminal's settings, then ends the program by the same signal, as it would have
/// ended without this handler. Only async-signal-safe calls (`tcsetattr`, `signal`, `raise`).
private func restoreTerminalAndEnd(_ number: Int32) {
    _ = tcsetattr(0, TCSANOW, &savedTerminal)
    signal(number, SIG_DFL)
    raise(number)
}
