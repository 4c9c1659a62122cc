/// A validated e-mail address of a real mailbox.
///
/// Accepts what real mailboxes use, per RFC 5321 §4.5.3.1 and RFC 5322 §3.4.1 restricted to the
/// dot-atom form: a local part of at most 64 octets, a domain with at least one dot of at most 253
/// octets, at most 254 octets in all. Surrounding white space (including CR/LF pasted along with
/// the address) is trimmed and the domain is lower-cased; white space, CR, LF, NUL or other control
/// characters *inside* the address are refused, so an address can never inject a mail header.
/// Quoted local parts, comments, IP-literal domains and non-ASCII (internationalized, RFC 6531)
/// addresses are refused with a clear message rather than half-supported.
///
/// Domain labels follow RFC 1035 §2.3.1 / RFC 1123 §2.1: letters, digits and inner hyphens, at
/// most 63 octets each; the last label must not be all digits (RFC 3696 §2), which also refuses
/// bare IPv4 addresses. A local part starting with `-` is refused because such an address would
/// read as an option if it ever reached a command line (a `sendmail` argument).
public struct EmailAddress: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The local part (before `@`), as typed (case preserved: RFC 5321 lets servers treat it as
    /// case-sensitive, so mail is sent to it as given).
    public let localPart: String
    /// The domain (after `@`), lower-cased.
    public let domain: String

    /// The address as mail is sent to it: `localPart@domain`.
    public var value: String { localPart + "@" + domain }

    /// The form used for uniqueness: the whole address lower-cased. Two addresses that differ
    /// only in letter case are the same mailbox at every provider people actually use, so one
    /// account per canonical address.
    public var canonical: String { value.lowercased() }

    /// The address as mail is sent to it.
    public var description: String { value }

    /// The longest local part, in octets (RFC 5321 §4.5.3.1.1).
    public static let maximumLocalPartLength = 64
    /// The longest domain, in octets (RFC 1035 name limit less the trailing dot).
    public static let maximumDomainLength = 253
    /// The longest address, in octets (RFC 5321 path limit of 256 less the angle brackets).
    public static let maximumLength = 254

    /// Validates and normalizes an address.
    /// - Parameter string: The address as a person typed it; surrounding whitespace is ignored.
    /// - Throws: ``ValidationError`` naming the first problem found (field `"email"`). An address
    ///   with upper-case letters in the domain or surrounding spaces is *not* an error: it is
    ///   normalized.
    public init(_ string: String) throws(ValidationError) {
        let trimmed = string.trimmingWhitespace()
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: "email", indonesian: indonesian, english: english)
        }
        guard !trimmed.isEmpty else {
            throw fail(.emailEmpty, "Alamat email wajib diisi.", "The e-mail address is required.")
        }
        for scalar in trimmed.unicodeScalars {
            if scalar.value == 0 || scalar == "\r" || scalar == "\n" {
                throw fail(
                    .emailControlCharacter, "Alamat email berisi karakter kontrol (CR, LF atau NUL).",
                    "The e-mail address contains a control character (CR, LF or NUL).")
            }
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar.properties.isWhitespace {
                throw fail(
                    .emailWhitespace, "Alamat email tidak boleh berisi spasi atau karakter kontrol.",
                    "The e-mail address must not contain spaces or control characters.")
            }
            if !scalar.isASCII {
                throw fail(
                    .emailNonASCII,
                    "Alamat email hanya boleh berisi huruf Latin tanpa aksen, angka dan tanda baca umum; "
                        + "alamat dengan huruf lain (misalnya é atau ü) belum didukung.",
                    "The e-mail address may contain only unaccented Latin letters, digits and common "
                        + "punctuation; addresses with other letters (such as é or ü) are not supported.")
            }
        }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw fail(
                .emailMissingAt, "Alamat email harus berisi tepat satu tanda @, misalnya nama@gmail.com.",
                "The e-mail address must contain exactly one @, for example name@gmail.com.")
        }
        let local = String(parts[0])
        let domain = String(parts[1]).lowercased()
        try Self.validateLocalPart(local, fail: fail)
        try Self.validateDomain(domain, fail: fail)
        // Checked after the parts, so a too-long part is named precisely; a domain of 253 octets
        // passes its own rule yet never fits beside a local part, so this rule catches it.
        guard trimmed.utf8.count <= Self.maximumLength else {
            throw fail(
                .emailTooLong, "Alamat email terlalu panjang (maksimal \(Self.maximumLength) karakter).",
                "The e-mail address is too long (at most \(Self.maximumLength) characters).")
        }
        self.localPart = local
        self.domain = domain
    }

    /// Orders addresses by their canonical form, then (for addresses that differ only in the case
    /// of the local part) by their exact value, so exactly one of `<`, `==`, `>` holds.
    public static func < (lhs: EmailAddress, rhs: EmailAddress) -> Bool {
        (lhs.canonical, lhs.value) < (rhs.canonical, rhs.value)
    }

    /// RFC 5322 §3.2.3 `atext`, less the characters that real providers refuse and that are
    /// dangerous on a command line or in a header (quotes, backslash are never atext anyway).
    private static let localCharacters: Set<UInt8> = {
        var set = Set<UInt8>()
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { set.insert(byte) }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { set.insert(byte) }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { set.insert(byte) }
        for character in "!#$%&'*+-/=?^_`{|}~." { set.insert(character.asciiValue!) }
        return set
    }()

    private static func validateLocalPart(
        _ local: String, fail: (ValidationError.Code, String, String) -> ValidationError
    ) throws(ValidationError) {
        guard !local.isEmpty else {
            throw fail(
                .emailEmptyLocalPart, "Bagian sebelum @ tidak boleh kosong.", "The part before the @ must not be empty."
            )
        }
        guard local.utf8.count <= maximumLocalPartLength else {
            throw fail(
                .emailLocalPartTooLong,
                "Bagian sebelum @ terlalu panjang (maksimal \(maximumLocalPartLength) karakter).",
                "The part before the @ is too long (at most \(maximumLocalPartLength) characters).")
        }
        if local.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            throw fail(
                .emailQuoted, "Alamat email tidak boleh berisi tanda kutip atau garis miring terbalik.",
                "The e-mail address must not contain quotes or backslashes.")
        }
        guard local.utf8.allSatisfy({ localCharacters.contains($0) }) else {
            throw fail(
                .emailInvalidCharacter, "Bagian sebelum @ berisi karakter yang tidak diperbolehkan.",
                "The part before the @ contains a character that is not allowed.")
        }
        if local.hasPrefix("-") {
            throw fail(
                .emailLeadingHyphen, "Alamat email tidak boleh diawali tanda minus (-).",
                "The e-mail address must not start with a hyphen (-).")
        }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            throw fail(
                .emailDots, "Titik tidak boleh di awal, di akhir, atau berurutan (..) sebelum @.",
                "A dot must not be first, last, or doubled (..) before the @.")
        }
    }

    private static func validateDomain(
        _ domain: String, fail: (ValidationError.Code, String, String) -> ValidationError
    ) throws(ValidationError) {
        guard !domain.isEmpty else {
            throw fail(
                .emailEmptyDomain, "Bagian setelah @ (domain) tidak boleh kosong.",
                "The part after the @ (the domain) must not be empty.")
        }
        guard domain.utf8.count <= maximumDomainLength else {
            throw fail(
                .emailDomainTooLong, "Domain email terlalu panjang.", "The e-mail domain is too long.")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else {
            throw fail(
                .emailDomainWithoutDot, "Domain email harus berisi titik, misalnya gmail.com.",
                "The e-mail domain must contain a dot, for example gmail.com.")
        }
        for label in labels {
            let bytes = Array(label.utf8)
            let valid =
                !bytes.isEmpty && bytes.count <= 63
                && bytes.allSatisfy { byte in
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                }
                && bytes.first != UInt8(ascii: "-") && bytes.last != UInt8(ascii: "-")
            guard valid else {
                throw fail(
                    .emailInvalidDomain,
                    "Domain email tidak valid: gunakan huruf, angka dan tanda minus, dipisahkan titik.",
                    "The e-mail domain is not valid: use letters, digits and hyphens, separated by dots.")
            }
        }
        if let last = labels.last, last.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            throw fail(
                .emailInvalidDomain, "Domain email tidak valid: bagian terakhir tidak boleh berupa angka.",
                "The e-mail domain is not valid: its last part must not be a number.")
        }
    }
}

extension EmailAddress {
    /// Decodes and re-validates an address, so stored data that was tampered with is refused.
    /// - Parameter decoder: The decoder to read a single string from.
    /// - Throws: `DecodingError.dataCorrupted` whose underlying error is the ``ValidationError``
    ///   when the string is not a valid address; any error of the decoder itself.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidated { string throws(ValidationError) in try EmailAddress(string) }
    }

    /// Encodes the address as its string value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension String {
    /// The string without leading and trailing white space: ASCII spaces, tabs, CR and LF, and the
    /// Unicode spaces a copy from a web page or a word processor brings along (such as U+00A0).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
