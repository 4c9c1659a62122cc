import DapodikAccounts
import DapodikLanguage
import Foundation
import Testing

struct EmailAddressTests {
    /// A domain of exactly `length` octets: labels of 63 letters joined by dots, ending in `.id`.
    static func domain(ofLength length: Int) -> String {
        var labels: [String] = []
        var remaining = length - 3  // room for ".id"
        while remaining > 0 {
            let size = min(63, remaining - (labels.isEmpty ? 0 : 1))
            labels.append(String(repeating: "d", count: size))
            remaining -= size + (labels.count > 1 ? 1 : 0)
        }
        let result = labels.joined(separator: ".") + ".id"
        precondition(result.utf8.count == length, "test helper miscounted")
        return result
    }

    /// The code of the error reading `string` throws (a recorded issue when it throws none).
    static func code(of string: String, sourceLocation: SourceLocation = #_sourceLocation) -> ValidationError.Code? {
        #expect(throws: ValidationError.self, sourceLocation: sourceLocation) { try EmailAddress(string) }?.code
    }

    @Test(
        "accepts the addresses real mailboxes use",
        arguments: [
            "kartini@gmail.com", "budi.santoso+dapodik@yahoo.co.id", "o'neil@sman1-wamena.sch.id",
            "guru_01@guru.smp.belajar.id", "a@b.co", "x!#$%&*/=?^`{|}~@mail.example.org",
        ])
    func acceptsRealAddresses(_ string: String) throws {
        let address = try EmailAddress(string)
        #expect(address.value == string)
        #expect(address.description == string)
    }

    @Test("splits the address at the @ into local part and domain")
    func splitsParts() throws {
        let address = try EmailAddress("kartini.w@yahoo.co.id")
        #expect(address.localPart == "kartini.w")
        #expect(address.domain == "yahoo.co.id")
    }

    @Test("lower-cases the domain and keeps the local part as typed")
    func lowerCasesDomain() throws {
        let address = try EmailAddress("Kartini.W@Gmail.COM")
        #expect(address.domain == "gmail.com")
        #expect(address.localPart == "Kartini.W")
        #expect(address.value == "Kartini.W@gmail.com")
    }

    @Test("the canonical form is the whole address lower-cased, so case variants are one mailbox")
    func canonicalForm() throws {
        let typed = try EmailAddress("Kartini.W@Gmail.COM")
        let other = try EmailAddress("kartini.w@gmail.com")
        #expect(typed.canonical == "kartini.w@gmail.com")
        #expect(typed.canonical == other.canonical)
        #expect(typed != other)
    }

    @Test(
        "trims surrounding white space, including a pasted line break and a no-break space",
        arguments: ["  budi@gmail.com  ", "\tbudi@gmail.com\r\n", "\u{00A0}budi@gmail.com\u{2003}", "budi@gmail.com\n"])
    func trimsSurroundingWhitespace(_ string: String) throws {
        #expect(try EmailAddress(string).value == "budi@gmail.com")
    }

    @Test("refuses an empty address or one of only white space", arguments: ["", "   ", "\r\n"])
    func refusesEmpty(_ string: String) {
        #expect(Self.code(of: string) == .emailEmpty)
    }

    @Test("a local part of 64 octets is accepted, of 65 refused")
    func localPartBoundary() throws {
        let local64 = String(repeating: "k", count: 64)
        #expect(try EmailAddress(local64 + "@gmail.com").localPart == local64)
        #expect(Self.code(of: local64 + "k@gmail.com") == .emailLocalPartTooLong)
    }

    @Test("a domain of 254 octets is refused as too long a domain; one of 253 fits no address of 254")
    func domainBoundary() {
        #expect(Self.code(of: "a@" + Self.domain(ofLength: 254)) == .emailDomainTooLong)
        // 1 + 1 + 253 = 255 octets: the domain passes its own rule, the whole does not.
        #expect(Self.code(of: "a@" + Self.domain(ofLength: 253)) == .emailTooLong)
    }

    @Test("an address of 254 octets is accepted, of 255 refused")
    func wholeBoundary() throws {
        let domain252 = Self.domain(ofLength: 252)
        #expect(try EmailAddress("a@" + domain252).value.utf8.count == 254)
        #expect(Self.code(of: "ab@" + domain252) == .emailTooLong)
        let local64 = String(repeating: "k", count: 64)
        let domain189 = Self.domain(ofLength: 189)
        #expect(try EmailAddress(local64 + "@" + domain189).value.utf8.count == 254)
        #expect(Self.code(of: local64 + "@" + Self.domain(ofLength: 190)) == .emailTooLong)
    }

    @Test(
        "refuses white space inside the address",
        arguments: [
            "bu di@gmail.com", "budi@gm ail.com", "bu\tdi@gmail.com", "bu\u{00A0}di@gmail.com", "bu\u{7F}di@gmail.com",
        ])
    func refusesInnerWhitespace(_ string: String) {
        #expect(Self.code(of: string) == .emailWhitespace)
    }

    @Test(
        "refuses CR, LF and NUL inside the address, so no mail header can be injected",
        arguments: [
            "budi@gmail.com\r\nBcc: all@example.com", "budi\r@gmail.com", "budi\n@gmail.com", "budi\0@gmail.com",
        ])
    func refusesControlCharacters(_ string: String) {
        #expect(Self.code(of: string) == .emailControlCharacter)
    }

    @Test("refuses quoted local parts and backslashes", arguments: ["\"budi\"@gmail.com", "bu\\di@gmail.com"])
    func refusesQuotes(_ string: String) {
        #expect(Self.code(of: string) == .emailQuoted)
    }

    @Test(
        "refuses a dot at either end of the local part or two in a row",
        arguments: ["budi..santoso@gmail.com", ".budi@gmail.com", "budi.@gmail.com"])
    func refusesDots(_ string: String) {
        #expect(Self.code(of: string) == .emailDots)
    }

    @Test("refuses a leading hyphen but allows one inside")
    func leadingHyphen() throws {
        #expect(Self.code(of: "-budi@gmail.com") == .emailLeadingHyphen)
        #expect(try EmailAddress("bu-di@gmail.com").localPart == "bu-di")
    }

    @Test(
        "refuses characters outside atext in the local part",
        arguments: ["bu(di)@gmail.com", "bu,di@gmail.com", "bu;di@gmail.com", "bu<di@gmail.com", "bu[di]@gmail.com"])
    func refusesInvalidLocalCharacters(_ string: String) {
        #expect(Self.code(of: string) == .emailInvalidCharacter)
    }

    @Test("refuses non-ASCII addresses with a message that says they are not supported")
    func refusesNonASCII() throws {
        for string in ["budé@gmail.com", "budi@gmäil.com", "кирилл@mail.ru", "bu\u{200B}di@gmail.com"] {
            #expect(Self.code(of: string) == .emailNonASCII, "\(string)")
        }
        let error = #expect(throws: ValidationError.self) { try EmailAddress("budé@gmail.com") }
        #expect(error?.field == "email")
        #expect(error?.message(in: .english).contains("not supported") == true)
        #expect(error?.message(in: .indonesian).contains("belum didukung") == true)
        #expect(error?.description == error?.message.indonesian)
    }

    @Test(
        "refuses an address without exactly one @",
        arguments: ["budi.gmail.com", "budi@@gmail.com", "budi@santoso@gmail.com"])
    func refusesMissingAt(_ string: String) {
        #expect(Self.code(of: string) == .emailMissingAt)
    }

    @Test("refuses an empty local part or domain")
    func refusesEmptyParts() {
        #expect(Self.code(of: "@gmail.com") == .emailEmptyLocalPart)
        #expect(Self.code(of: "budi@") == .emailEmptyDomain)
    }

    @Test("refuses a domain without a dot")
    func refusesDotlessDomain() {
        #expect(Self.code(of: "budi@localhost") == .emailDomainWithoutDot)
    }

    @Test(
        "refuses malformed domains",
        arguments: [
            "budi@gmail..com", "budi@.gmail.com", "budi@gmail.com.", "budi@-gmail.com", "budi@gmail-.com",
            "budi@gm_ail.com", "budi@[10.0.0.1]", "budi@10.0.0.1", "budi@gmail.123",
        ])
    func refusesMalformedDomains(_ string: String) {
        #expect(Self.code(of: string) == .emailInvalidDomain)
    }

    @Test("a domain label of 63 octets is accepted, of 64 refused")
    func labelBoundary() throws {
        let label63 = String(repeating: "l", count: 63)
        #expect(try EmailAddress("budi@\(label63).com").domain == "\(label63).com")
        #expect(Self.code(of: "budi@\(label63)l.com") == .emailInvalidDomain)
    }

    @Test("every refusal names the e-mail field and explains itself in both languages")
    func errorsAreLocalized() {
        let error = #expect(throws: ValidationError.self) { try EmailAddress("budi@localhost") }
        #expect(error?.field == "email")
        #expect(error?.message(in: .indonesian).contains("titik") == true)
        #expect(error?.message(in: .english).contains("dot") == true)
    }

    @Test("orders by canonical form, and exactly one of <, ==, > holds")
    func ordering() throws {
        let upper = try EmailAddress("Budi@gmail.com")
        let lower = try EmailAddress("budi@gmail.com")
        let other = try EmailAddress("ani@gmail.com")
        #expect(other < lower && other < upper)
        #expect((upper < lower) != (lower < upper))
        #expect(!(lower < lower))
    }

    @Test("encodes as its string and re-validates on decode")
    func codable() throws {
        let address = try EmailAddress("Kartini@Gmail.com")
        let data = try JSONEncoder().encode([address])
        #expect(String(decoding: data, as: UTF8.self) == #"["Kartini@gmail.com"]"#)
        #expect(try JSONDecoder().decode([EmailAddress].self, from: data) == [address])
    }

    @Test("decoding a tampered address fails with the validation error underneath")
    func decodingTampered() throws {
        let data = Data(#"{"email":"budi@gmail.com\r\nBcc: x@y.com"}"#.utf8)
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([String: EmailAddress].self, from: data)
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(String(describing: error))")
            return
        }
        #expect((context.underlyingError as? ValidationError)?.code == .emailControlCharacter)
        #expect(context.codingPath.last?.stringValue == "email")
    }
}
