extension ValidationError.Code {
    /// The address is empty (or only white space).
    public static let emailEmpty = Self("email.empty")
    /// The address contains CR, LF or NUL, which could inject a mail header (RFC 5322 §2.2).
    public static let emailControlCharacter = Self("email.controlCharacter")
    /// The address contains a space, a tab, another white space or a control character.
    public static let emailWhitespace = Self("email.whitespace")
    /// The address contains a character outside ASCII; internationalized addresses (RFC 6531) are not supported.
    public static let emailNonASCII = Self("email.nonASCII")
    /// The address is longer than 254 octets (RFC 5321 §4.5.3.1.3).
    public static let emailTooLong = Self("email.tooLong")
    /// The address does not contain exactly one `@`.
    public static let emailMissingAt = Self("email.missingAt")
    /// Nothing before the `@`.
    public static let emailEmptyLocalPart = Self("email.emptyLocalPart")
    /// The local part is longer than 64 octets (RFC 5321 §4.5.3.1.1).
    public static let emailLocalPartTooLong = Self("email.localPartTooLong")
    /// The local part contains a quote or a backslash (a quoted string, RFC 5322 §3.2.4).
    public static let emailQuoted = Self("email.quoted")
    /// The local part contains a character outside RFC 5322 §3.2.3 `atext` and `.`.
    public static let emailInvalidCharacter = Self("email.invalidCharacter")
    /// The local part starts with `-`.
    public static let emailLeadingHyphen = Self("email.leadingHyphen")
    /// The local part starts or ends with a dot or has two in a row (RFC 5322 §3.2.3 dot-atom).
    public static let emailDots = Self("email.dots")
    /// Nothing after the `@`.
    public static let emailEmptyDomain = Self("email.emptyDomain")
    /// The domain is longer than 253 octets (RFC 1035 §2.3.4).
    public static let emailDomainTooLong = Self("email.domainTooLong")
    /// The domain has no dot, so it is no public mail domain.
    public static let emailDomainWithoutDot = Self("email.domainWithoutDot")
    /// A domain label is empty, longer than 63 octets, has a character other than letters, digits and inner hyphens, or the last label is all digits (RFC 1035 §2.3.1, RFC 3696 §2).
    public static let emailInvalidDomain = Self("email.invalidDomain")
    /// A verification names an address that is no longer the account's current one.
    public static let emailNotCurrent = Self("email.notCurrent")
    /// Not `\\d{8}|[KP]\\d{7}|\\d{6}`.
    public static let npsnFormat = Self("npsn.format")
    /// Not exactly 16 ASCII digits.
    public static let nuptkFormat = Self("nuptk.format")
    /// Not exactly 16 ASCII digits.
    public static let nikFormat = Self("nik.format")
    /// The province, regency or district code is `00`.
    public static let nikRegion = Self("nik.region")
    /// Digits 7–12 are no real `DDMMYY` date (a woman's day less 40) in 19YY or 20YY.
    public static let nikBirthDate = Self("nik.birthDate")
    /// The serial (digits 13–16) is `0000`.
    public static let nikSerial = Self("nik.serial")
    /// Not exactly 18 ASCII digits.
    public static let nipFormat = Self("nip.format")
    /// Digits 1–8 are no real `YYYYMMDD` date from 1900 on.
    public static let nipBirthDate = Self("nip.birthDate")
    /// The appointment month (digits 13–14) is not 1–12, or the appointment falls before the birth month.
    public static let nipAppointment = Self("nip.appointment")
    /// Digit 15 is neither `1` nor `2`.
    public static let nipSex = Self("nip.sex")
    /// The serial (digits 16–18) is `000`.
    public static let nipSerial = Self("nip.serial")
    /// Shorter than 3 or longer than 254 characters.
    public static let usernameLength = Self("username.length")
    /// A character other than ASCII letters, digits and `. _ - + @`.
    public static let usernameCharacter = Self("username.character")
    /// Starts or ends with punctuation.
    public static let usernameEdge = Self("username.edge")
    /// Nothing but white space.
    public static let nameEmpty = Self("name.empty")
    /// Longer than 150 characters.
    public static let nameTooLong = Self("name.tooLong")
    /// Contains a control character.
    public static let nameControlCharacter = Self("name.controlCharacter")
    /// Fewer than the policy's minimum characters (NIST SP 800-63B §5.1.1.2: at least 8).
    public static let passwordTooShort = Self("password.tooShort")
    /// More than the policy's maximum characters.
    public static let passwordTooLong = Self("password.tooLong")
    /// On the list of the most common passwords (NIST SP 800-63B §5.1.1.2).
    public static let passwordCommon = Self("password.common")
    /// Equal to the username, the e-mail address or its local part.
    public static let passwordMatchesIdentity = Self("password.matchesIdentity")
    /// Contains a control character, which no keyboard types.
    public static let passwordControlCharacter = Self("password.controlCharacter")
}
