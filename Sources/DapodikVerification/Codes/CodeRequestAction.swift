public import DapodikAccounts
public import DapodikLanguage

/// How a person asks for a code in the front end that shows the service's texts, as those texts
/// name it: "Minta kode dengan tombol LANJUT" / "Ask for one with the LANJUT (continue) button".
///
/// The service's statuses and answers tell a person how to ask for a code, and only the front end
/// knows how that is done there: the Dapodik portal's LANJUT button (``lanjutButton``, the
/// default), a command of a command-line program, a button of another name. Set
/// ``VerificationService/Configuration/codeRequestAction`` to the front end's own, so that a person
/// is never told to click a button their screen does not have.
public struct CodeRequestAction: Sendable {
    private let naming: @Sendable (_ role: Role, _ username: Username) -> LocalizedText

    /// An action named for each account: a command-line program names its command with the
    /// account's username, and the operator's command apart from the staff's.
    /// - Parameter naming: The words for the account of `role` and `username`: a noun phrase that
    ///   reads after "dengan" and "with" ("perintah 'ptk continue --as budi'" / "the command 'ptk
    ///   continue --as budi'"), in both languages. For a status the school's operator reads, the
    ///   account is the one whose holder asks.
    public init(naming: @escaping @Sendable (_ role: Role, _ username: Username) -> LocalizedText) {
        self.naming = naming
    }

    /// An action named the same for every account.
    /// - Parameter words: A noun phrase that reads after "dengan" and "with" ("tombol KIRIM KODE" /
    ///   "the SEND CODE button"), in both languages.
    public init(_ words: LocalizedText) {
        self.naming = { _, _ in words }
    }

    /// The Dapodik portal's LANJUT button (continue): "tombol LANJUT" / "the LANJUT (continue)
    /// button". The default.
    public static let lanjutButton = CodeRequestAction(
        LocalizedText(indonesian: "tombol LANJUT", english: "the LANJUT (continue) button"))

    /// The words naming the action for the account of `role` and `username`.
    /// - Parameters:
    ///   - role: The account's role.
    ///   - username: The account's username.
    /// - Returns: A noun phrase that reads after "dengan" and "with".
    public func words(for role: Role, username: Username) -> LocalizedText {
        naming(role, username)
    }
}
