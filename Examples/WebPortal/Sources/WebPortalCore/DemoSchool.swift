public import DapodikVerification

/// The demo's school and operator (the same people as the CLI's `demo`): seeded by `--demo` so a
/// visitor can walk through the seed's flow at once.
public enum DemoSchool {
    /// The operator's username.
    public static let operatorUsername = "siti"
    /// The operator's address.
    public static let operatorEmail = "siti.aminah@gmail.com"
    /// The operator's password. It exists only in demo data directories.
    public static let operatorPassword = "Sekolah-Hebat-2026"

    /// The login page's hint in demo mode.
    public static let hint = LocalizedText(
        indonesian: "Demo: masuk sebagai operator \(operatorUsername) dengan kata sandi \(operatorPassword). "
            + "Kode verifikasi dapat dibaca di Kotak surat demo.",
        english: "Demo: log in as the operator \(operatorUsername) with the password \(operatorPassword). "
            + "Verification codes can be read in the Demo mailbox.")

    /// Creates the demo school and its operator, unless the school exists already.
    /// - Parameter service: The service.
    /// - Returns: Whether it was created now.
    /// - Throws: ``VerificationError`` for anything but an existing school.
    @discardableResult
    public static func seed(into service: VerificationService) async throws -> Bool {
        let school = School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 Contoh"), timeZone: .wib)
        let registration = AccountRegistration(
            displayName: try DisplayName("Siti Aminah"), username: try Username(operatorUsername),
            email: try EmailAddress(operatorEmail), password: operatorPassword)
        do {
            _ = try await service.createSchool(school, operator: registration)
            return true
        } catch  where error.code == .schoolExists {
            return false
        }
    }
}
