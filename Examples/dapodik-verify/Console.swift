import DapodikVerification
import Foundation

/// Where the program writes: standard output for results, standard error for narration of
/// problems and progress; in the person's language; JSON when asked.
struct Console: Sendable {
    let language: Language
    let json: Bool

    /// Prints a line to standard output.
    func line(_ string: String = "") { Self.write(string + "\n", to: .standardOutput) }

    /// Prints a text in the person's language to standard output.
    func say(_ localized: LocalizedText) { line(localized.text(in: language)) }

    /// Prints a text given in both languages to standard output.
    func say(_ indonesian: String, _ english: String) { line(language == .english ? english : indonesian) }

    /// Picks the version of a text for the person's language.
    func pick(_ indonesian: String, _ english: String) -> String { language == .english ? english : indonesian }

    /// Prints a line to standard error.
    func warn(_ string: String) { Self.write(string + "\n", to: .standardError) }

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

    /// Which standard stream to write to.
    enum Stream { case standardOutput, standardError }

    /// Writes text to a standard stream, unbuffered, so output and progress interleave in order.
    static func write(_ string: String, to stream: Stream) {
        let handle: FileHandle = stream == .standardOutput ? .standardOutput : .standardError
        handle.write(Data(string.utf8))
    }

    /// Whether a file descriptor is a terminal.
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }
}
