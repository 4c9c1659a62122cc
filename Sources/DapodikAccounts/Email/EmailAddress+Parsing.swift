// The rules of `EmailAddress`, applied to ASCII bytes in one pass each, in the order the checks have
// always been made, so the first problem found (and so the error) is the same as before.
extension EmailAddress {
    /// What parsing an address gives: its parts, or the first problem found.
    enum Parsed {
        case address(localPart: String, domain: String)
        case problem(Problem)
    }

    /// Each way an address is refused, in the order the rules are checked.
    enum Problem {
        case empty, controlCharacter, whitespace, nonASCII, missingAt
        case emptyLocalPart, localPartTooLong, quoted, invalidCharacter, leadingHyphen, dots
        case emptyDomain, domainTooLong, domainWithoutDot, invalidDomainLabel, numericLastLabel, tooLong
    }

    /// The problem `scalar` is inside an address, if any: CR, LF or NUL could inject a mail header
    /// (RFC 5322 §2.2); other controls and white space are no part of an address; letters outside
    /// ASCII (RFC 6531) are not supported.
    static func problem(with scalar: Unicode.Scalar) -> Problem? {
        if scalar.value == 0 || scalar == "\r" || scalar == "\n" { return .controlCharacter }
        if scalar.value < 0x20 || scalar.value == 0x7F || scalar.properties.isWhitespace { return .whitespace }
        return scalar.isASCII ? nil : .nonASCII
    }

    /// Parses ASCII `bytes` (surrounding ASCII white space ignored) into a local part and a lower-cased
    /// domain.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed {
        let address = bytes.asciiTrimmedBounds
        guard !address.isEmpty else { return .problem(.empty) }
        var at: Int?
        var atCount = 0
        for index in address {
            let byte = bytes[index]
            if byte == 0 || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                return .problem(.controlCharacter)
            }
            if byte.isASCIIControl || byte == UInt8(ascii: " ") { return .problem(.whitespace) }
            if byte == UInt8(ascii: "@") {
                atCount += 1
                at = index
            }
        }
        guard atCount == 1, let at else { return .problem(.missingAt) }
        let local = address.lowerBound..<at
        let domain = at + 1..<address.upperBound
        if let problem = localPartProblem(UnsafeBufferPointer(rebasing: bytes[local])) { return .problem(problem) }
        if let problem = domainProblem(UnsafeBufferPointer(rebasing: bytes[domain])) { return .problem(problem) }
        // Checked after the parts, so a too-long part is named precisely; a domain of 253 octets
        // passes its own rule yet never fits beside a local part, so this rule catches it.
        guard address.count <= maximumLength else { return .problem(.tooLong) }
        return .address(localPart: bytes.asciiString(local), domain: bytes.asciiString(domain, lowercased: true))
    }

    /// RFC 5322 §3.2.3 `atext` and the dot, less the characters that real providers refuse and that
    /// are dangerous on a command line or in a header (quotes, backslash are never atext anyway).
    static func isLocalCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
            UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }

    /// The first rule the local part breaks: not empty, at most 64 octets, no quote or backslash,
    /// only `atext` and dots, no leading `-` (it would read as an option on a command line), and a
    /// dot-atom's dots: not first, not last, never two in a row.
    private static func localPartProblem(_ local: UnsafeBufferPointer<UInt8>) -> Problem? {
        guard let first = local.first, let last = local.last else { return .emptyLocalPart }
        guard local.count <= maximumLocalPartLength else { return .localPartTooLong }
        if local.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return .quoted }
        guard local.allSatisfy(isLocalCharacter) else { return .invalidCharacter }
        if first == UInt8(ascii: "-") { return .leadingHyphen }
        if first == UInt8(ascii: ".") || last == UInt8(ascii: ".") { return .dots }
        for index in local.indices.dropFirst() where local[index] == UInt8(ascii: ".") {
            if local[index - 1] == UInt8(ascii: ".") { return .dots }
        }
        return nil
    }

    /// The first rule the domain (compared lower-cased) breaks: not empty, at most 253 octets, at
    /// least one dot, labels of 1 to 63 letters, digits and inner hyphens (RFC 1035 §2.3.1), the
    /// last label not all digits (RFC 3696 §2).
    private static func domainProblem(_ domain: UnsafeBufferPointer<UInt8>) -> Problem? {
        guard !domain.isEmpty else { return .emptyDomain }
        guard domain.count <= maximumDomainLength else { return .domainTooLong }
        guard domain.contains(UInt8(ascii: ".")) else { return .domainWithoutDot }
        var labelStart = 0
        for end in 0...domain.count where end == domain.count || domain[end] == UInt8(ascii: ".") {
            let label = UnsafeBufferPointer(rebasing: domain[labelStart..<end])
            labelStart = end + 1
            guard isValidLabel(label) else { return .invalidDomainLabel }
            if end == domain.count, label.allSatisfy({ $0.isASCIIDigit }) { return .numericLastLabel }
        }
        return nil
    }

    /// Whether `label` (compared lower-cased) is 1 to 63 letters, digits and inner hyphens.
    private static func isValidLabel(_ label: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
        return first != UInt8(ascii: "-") && last != UInt8(ascii: "-")
            && label.allSatisfy { byte in
                let lower = byte.asciiLowercased
                return lower.isASCIILowercase || lower.isASCIIDigit || lower == UInt8(ascii: "-")
            }
    }
}
