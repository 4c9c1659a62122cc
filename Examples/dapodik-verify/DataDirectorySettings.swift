import DapodikVerification
import Foundation

/// Optional settings of a data directory, in `<data>/settings.json`; every key may be left out.
///
/// `passwordIterations`: the PBKDF2 iteration count for new password hashes. The default is the
/// library's 600,000 (OWASP Password Storage cheat sheet); a lower value makes every login cheaper
/// for an attacker with a stolen store too, so it is meant for throw-away test directories only.
/// Hashes record their own count, and a login with the default setting rehashes them.
struct DataDirectorySettings: Codable, Sendable, Equatable {
    var passwordIterations: Int?

    /// Reads the settings, or the defaults when the file does not exist.
    /// - Throws: ``CLIError`` (status 74) for a file that cannot be parsed or a value out of range.
    static func load(from url: URL) throws(CLIError) -> DataDirectorySettings {
        guard let data = FileManager.default.contents(atPath: url.path) else { return DataDirectorySettings() }
        let settings: DataDirectorySettings
        do {
            settings = try JSONDecoder().decode(DataDirectorySettings.self, from: data)
        } catch {
            throw CLIError(
                .dataDirectory, status: .ioError, indonesian: "\(url.path) bukan JSON yang valid: \(error)",
                english: "\(url.path) is not valid JSON: \(error)")
        }
        if let iterations = settings.passwordIterations,
            !PBKDF2PasswordHasher.acceptedIterations.contains(iterations)
        {
            throw CLIError(
                .dataDirectory, status: .ioError,
                indonesian: "\(url.path): passwordIterations harus dalam \(PBKDF2PasswordHasher.acceptedIterations).",
                english: "\(url.path): passwordIterations must be within \(PBKDF2PasswordHasher.acceptedIterations).")
        }
        return settings
    }
}
