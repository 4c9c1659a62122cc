import CDapodikVerifyStart
import DapodikHostSystem
import DapodikVerification
import Foundation
import Synchronization

/// Where the program writes: standard output for results, standard error for narration of
/// problems and progress; in the person's language; JSON when asked.
///
/// Messages (``say(_:)``, ``warn(_:)`` and what is built on it, and the errors
/// `CommandLineInterface.report` writes) show control characters escaped
/// (`String.escapingControlCharacters`): a message may echo a caller's path or argument, or a
/// library's words that repeat one, and none of it may drive the terminal. Data from the store or
/// from outside (names, addresses, a mail server's reply, a message in the Maildir) is escaped the
/// same way: ``data(_:)`` for a line, ``row(_:)`` for tab-separated fields, ``text(_:)`` for lines.
/// ``line(_:)`` writes what the program composed as it is (help, a code, JSON, whose encoder
/// escapes every control character itself), and so do an error's and a warning's JSON.
struct Console: Sendable {
    let language: Language
    let json: Bool

    /// Prints a line to standard output.
    func line(_ string: String = "") { Self.write(string + "\n", to: .standardOutput) }

    /// Prints a line of data to standard output, control characters escaped as in messages.
    func data(_ string: String) { line(string.escapingControlCharacters) }

    /// Prints one line of tab-separated fields to standard output, each escaped: a tab or a line
    /// break inside a field reads `\t`, `\n`, so column n is the same field on every line.
    func row(_ fields: [String]) { line(fields.map(\.escapingControlCharacters).joined(separator: "\t")) }

    /// Prints text of several lines to standard output: each line escaped, the line breaks (LF)
    /// kept.
    func text(_ string: String) {
        line(
            string.split(separator: "\n", omittingEmptySubsequences: false)
                .map { String($0).escapingControlCharacters }.joined(separator: "\n"))
    }

    /// Prints a message in the person's language to standard output, control characters escaped.
    func say(_ localized: LocalizedText) { line(localized.text(in: language).escapingControlCharacters) }

    /// Prints a message given in both languages to standard output, control characters escaped.
    func say(_ indonesian: String, _ english: String) { say(LocalizedText(indonesian: indonesian, english: english)) }

    /// Picks the version of a text for the person's language.
    func pick(_ indonesian: String, _ english: String) -> String { language == .english ? english : indonesian }

    /// Prints a message to standard error, control characters escaped.
    func warn(_ string: String) { Self.write(string.escapingControlCharacters + "\n", to: .standardError) }

    /// Tells what the program is waiting for, on standard error; nothing with `--json`, whose
    /// standard error carries JSON only.
    func narrate(_ string: String) {
        guard !json else { return }
        warn(string)
    }

    /// A problem that does not stop the command (nothing was lost), on standard error: the line, or
    /// with `--json` one line `{"warning": {"code", "message"}}`, data written as it is like an error's
    /// JSON (escaped as a message, the DEL or C1 character JSON leaves as it is would become `\u{7F}`,
    /// which is no JSON escape).
    func warn(code: String, _ string: String) {
        guard json, let body = try? Self.compactJSONString(["warning": ["code": code, "message": string]]) else {
            return warn(string)
        }
        Self.write(body + "\n", to: .standardError)
    }

    /// Prints a value as pretty JSON with sorted (stable) keys and ISO 8601 dates.
    func printJSON(_ value: some Encodable) throws {
        line(try Self.jsonString(value))
    }

    /// The JSON text of a value: pretty-printed, sorted keys, ISO 8601 dates.
    static func jsonString(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The JSON text of a value on one line, with sorted keys.
    static func compactJSONString(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Which standard stream to write to.
    enum Stream: Sendable { case standardOutput, standardError }

    /// The `errno` of the first write each stream refused (a full disk, a closed pipe or terminal),
    /// or `EBADF` for a stream closed when the program started (then on /dev/null: see
    /// `StandardDescriptors.c`); nothing more is written to a stream once it has refused.
    private static let refusals: Mutex<[Stream: Int32]> = {
        let closed = cdapodik_verify_closed_standard_descriptors()
        var refused: [Stream: Int32] = [:]
        if closed & (1 << STDOUT_FILENO) != 0 { refused[.standardOutput] = EBADF }
        if closed & (1 << STDERR_FILENO) != 0 { refused[.standardError] = EBADF }
        return Mutex(refused)
    }()

    /// Writes text to a standard stream with `write(2)`, unbuffered, so output and progress
    /// interleave in order. A stream that cannot be written to is not a crash: the text is
    /// dropped and the refusal kept for ``settle(_:language:)``. (`FileHandle.write(_:)` traps on
    /// such an error.)
    static func write(_ string: String, to stream: Stream) {
        guard refusals.withLock({ $0[stream] == nil }) else { return }
        let descriptor = stream == .standardOutput ? STDOUT_FILENO : STDERR_FILENO
        var bytes = Array(string.utf8)
        let error: Int32? = bytes.withUnsafeMutableBytes { buffer in
            var rest = UnsafeRawBufferPointer(buffer)
            while !rest.isEmpty {
                let written = Foundation.write(descriptor, rest.baseAddress, rest.count)
                if written > 0 {
                    rest = UnsafeRawBufferPointer(rebasing: rest[written...])
                } else if written < 0 && errno == EINTR {
                    continue
                } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    // A descriptor left non-blocking by whoever holds its other end: wait until it drains.
                    var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                } else {
                    return written < 0 ? errno : EIO
                }
            }
            return nil
        }
        if let error { refusals.withLock { $0[stream] = $0[stream] ?? error } }
    }

    /// The exit status once a command is over: `status`, unless the command succeeded and its
    /// output could not all be written; then, since whoever reads the output got less than the
    /// command said, it is 74 (`EX_IOERR`), and standard error says the command itself was done.
    /// A reader that stopped reading (`| head`: `EPIPE`) chose to, so that is not narrated, only
    /// the status says it, as the default `SIGPIPE` would have.
    /// - Parameters:
    ///   - status: What the command returned.
    ///   - language: The language of the message.
    /// - Returns: The status to exit with.
    static func settle(_ status: ExitStatus, language: Language) -> ExitStatus {
        guard status == .success, let error = refusals.withLock({ $0[.standardOutput] }) else { return status }
        if error == EPIPE { return .ioError }
        let reason = ErrnoText.reason(error)
        write(
            (language == .english
                ? "The command was carried out, but its output could not be written (\(reason.english))."
                : "Perintah sudah dijalankan, tetapi keluarannya tidak dapat ditulis (\(reason.indonesian)).") + "\n",
            to: .standardError)
        return .ioError
    }

    /// Whether a file descriptor is a terminal.
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }
}
