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
    public var canonical: String {
        // The domain is lower-case already and the local part is ASCII.
        localPart.utf8.contains(where: { $0.isASCIIUppercase }) ? value.lowercased() : value
    }

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
        let parsed: Parsed
        if let ascii = string.withASCIIBytes(Self.parse) {
            parsed = ascii
        } else {
            // Not ASCII: trim Unicode white space, then name the first scalar that is refused; what
            // passes has only ASCII scalars, so it is parsed as bytes too (never `nil` there).
            let trimmed = string.trimmingWhitespace()
            guard !trimmed.isEmpty else { throw Self.error(.empty) }
            if let problem = trimmed.unicodeScalars.lazy.compactMap(Self.problem(with:)).first {
                throw Self.error(problem)
            }
            parsed = trimmed.withASCIIBytes(Self.parse) ?? .problem(.nonASCII)
        }
        try self.init(checked: parsed)
    }

    /// The address `parsed` holds, or the error naming its problem.
    init(checked parsed: Parsed) throws(ValidationError) {
        switch parsed {
        case .address(let localPart, let domain):
            self.localPart = localPart
            self.domain = domain
        case .problem(let problem):
            throw Self.error(problem)
        }
    }

    /// Orders addresses by their canonical form, then (for addresses that differ only in the case
    /// of the local part) by their exact value, so exactly one of `<`, `==`, `>` holds.
    public static func < (lhs: EmailAddress, rhs: EmailAddress) -> Bool {
        (lhs.canonical, lhs.value) < (rhs.canonical, rhs.value)
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
