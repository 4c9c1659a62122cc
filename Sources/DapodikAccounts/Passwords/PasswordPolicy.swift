/// Which passwords a person may choose, in the spirit of NIST SP 800-63B §5.1.1.2 ("memorized
/// secret verifiers").
///
/// - At least ``minimumLength`` characters (8 by default), counted as Unicode code points after
///   NFKC normalization, as §5.1.1.2 says: an emoji or an accented letter is one character.
/// - At most ``maximumLength`` (256 by default): NIST asks that at least 64 be allowed; the cap
///   only keeps a megabyte "password" away from the hasher.
/// - No composition rules (no "one digit, one capital"): NIST SP 800-63B §5.1.1.2 advises against
///   them. Spaces and any printable Unicode are allowed; only control characters are refused.
/// - Not one of the most commonly used passwords (a list of a couple hundred, including the
///   Indonesian favourites and this service's own names, compared without regard to case), nor a
///   run of one repeated character or of consecutive characters (`aaaaaaaa`, `abcdefgh`,
///   `98765432`).
/// - Not the account's username, e-mail address or e-mail local part (compared without regard to
///   case), NIST's "context-specific words".
public struct PasswordPolicy: Sendable, Hashable {
    /// The fewest characters a password may have.
    public var minimumLength: Int
    /// The most characters a password may have.
    public var maximumLength: Int
    /// The refused passwords, lower-cased.
    public var commonPasswords: Set<String>

    /// A policy.
    /// - Parameters:
    ///   - minimumLength: The fewest characters; 8 by default (NIST SP 800-63B §5.1.1.2).
    ///   - maximumLength: The most characters; 256 by default (NIST: allow at least 64).
    ///   - commonPasswords: Refused passwords, compared lower-cased; ``defaultCommonPasswords`` by
    ///     default.
    public init(
        minimumLength: Int = 8, maximumLength: Int = 256, commonPasswords: Set<String> = defaultCommonPasswords
    ) {
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
        self.commonPasswords = Set(commonPasswords.map { $0.normalizedForHashing().lowercased() })
    }

    /// Checks a password a person chose.
    /// - Parameters:
    ///   - password: The password exactly as typed (it is not trimmed: spaces count).
    ///   - username: The account's username, which the password must not equal.
    ///   - email: The account's e-mail address, which the password must not equal, nor its local
    ///     part.
    /// - Throws: ``ValidationError`` (field `"password"`): ``ValidationError/Code/passwordControlCharacter``,
    ///   ``ValidationError/Code/passwordTooShort``, ``ValidationError/Code/passwordTooLong``,
    ///   ``ValidationError/Code/passwordMatchesIdentity``, ``ValidationError/Code/passwordCommon``,
    ///   checked in that order. The lack of digits, capitals or symbols is *not* an error.
    public func validate(_ password: String, username: Username? = nil, email: EmailAddress? = nil)
        throws(ValidationError)
    {
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: "password", indonesian: indonesian, english: english)
        }
        let normalized = password.normalizedForHashing()
        if normalized.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw fail(
                .passwordControlCharacter,
                "Kata sandi tidak boleh berisi karakter kontrol (misalnya tab atau baris baru).",
                "The password must not contain control characters (such as a tab or a line break).")
        }
        let length = normalized.unicodeScalars.count
        guard length >= minimumLength else {
            throw fail(
                .passwordTooShort, "Kata sandi minimal \(minimumLength) karakter.",
                "The password must be at least \(minimumLength) characters long.")
        }
        guard length <= maximumLength else {
            throw fail(
                .passwordTooLong, "Kata sandi maksimal \(maximumLength) karakter.",
                "The password must be at most \(maximumLength) characters long.")
        }
        let folded = normalized.lowercased()
        let identities = [username?.value, email?.canonical, email.map { $0.localPart.lowercased() }]
        if identities.contains(where: { $0 == folded }) {
            throw fail(
                .passwordMatchesIdentity, "Kata sandi tidak boleh sama dengan nama pengguna atau alamat email.",
                "The password must not be the same as the username or the e-mail address.")
        }
        if commonPasswords.contains(folded) || Self.isRun(folded) {
            throw fail(
                .passwordCommon, "Kata sandi ini terlalu umum dan mudah ditebak. Pilih kata sandi lain.",
                "This password is too common and easy to guess. Choose another one.")
        }
    }

    /// Whether every character repeats the first, or each is the next or previous code point of
    /// the one before (`aaaaaaaa`, `12345678`, `hgfedcba`).
    private static func isRun(_ password: String) -> Bool {
        let values = password.unicodeScalars.map { Int($0.value) }
        guard values.count >= 2 else { return false }
        let step = values[1] - values[0]
        guard (-1...1).contains(step) else { return false }
        return zip(values, values.dropFirst()).allSatisfy { $1 - $0 == step }
    }
}
