import DapodikAccounts
import DapodikLanguage
import Foundation
import Testing

struct UsernameTests {
    /// The code of the error reading `string` throws (a recorded issue when it throws none).
    static func code(of string: String, sourceLocation: SourceLocation = #_sourceLocation) -> ValidationError.Code? {
        #expect(throws: ValidationError.self, sourceLocation: sourceLocation) { try Username(string) }?.code
    }

    @Test(
        "accepts short names and e-mail addresses, lower-cased",
        arguments: [
            ("Budi.Santoso", "budi.santoso"), ("ops_20100001", "ops_20100001"),
            ("Kartini@Gmail.com", "kartini@gmail.com"), (" abc ", "abc"),
        ])
    func accepts(_ string: String, _ expected: String) throws {
        #expect(try Username(string).value == expected)
    }

    @Test("3 characters are accepted, 2 refused; 254 accepted, 255 refused")
    func lengthBounds() throws {
        #expect(try Username("abc").value == "abc")
        #expect(Self.code(of: "ab") == .usernameLength)
        #expect(try Username(String(repeating: "a", count: 254)).value.count == 254)
        #expect(Self.code(of: String(repeating: "a", count: 255)) == .usernameLength)
    }

    @Test(
        "refuses spaces, other punctuation and non-ASCII letters",
        arguments: ["budi santoso", "budi!", "büdi", "bu/di", "budi\n1"])
    func refusesCharacters(_ string: String) {
        #expect(Self.code(of: string) == .usernameCharacter)
    }

    @Test("must start and end with a letter or digit", arguments: [".budi", "budi.", "_budi", "budi-", "@budi"])
    func edges(_ string: String) {
        #expect(Self.code(of: string) == .usernameEdge)
    }

    @Test("case variants are the same username")
    func caseInsensitive() throws {
        #expect(try Username("BUDI") == Username("budi"))
    }

    @Test("re-validates on decode")
    func codable() throws {
        let name = try Username("budi")
        #expect(try JSONDecoder().decode(Username.self, from: JSONEncoder().encode(name)) == name)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Username.self, from: Data(#""b c""#.utf8)) }
    }
}

struct DisplayNameTests {
    @Test("trims and collapses white space, keeps any script")
    func normalizes() throws {
        #expect(try DisplayName("  Ni Luh   Putu Ayu ").value == "Ni Luh Putu Ayu")
        #expect(try DisplayName("Ni\u{A0}Luh").value == "Ni Luh")
        // A joiner is part of some scripts' spelling, not a control.
        #expect(try DisplayName("क्\u{200D}ष").value == "क्\u{200D}ष")
        #expect(try DisplayName("Dr. Siti Nurhaliza, M.Pd.").value == "Dr. Siti Nurhaliza, M.Pd.")
        #expect(try DisplayName("ꦱꦸꦏꦂꦤ").value == "ꦱꦸꦏꦂꦤ")
    }

    @Test("refuses an empty name, one over 150 characters, and control characters")
    func refuses() throws {
        #expect(try DisplayName(String(repeating: "a", count: 150)).value.count == 150)
        let tooLong = #expect(throws: ValidationError.self) { try DisplayName(String(repeating: "a", count: 151)) }
        #expect(tooLong?.code == .nameTooLong)
        let empty = #expect(throws: ValidationError.self) { try DisplayName("   ", field: "schoolName") }
        #expect(empty?.code == .nameEmpty)
        #expect(empty?.field == "schoolName")
        let control = #expect(throws: ValidationError.self) { try DisplayName("Budi\u{0}") }
        #expect(control?.code == .nameControlCharacter)
    }

    @Test(
        "refuses every control, line break, separator and bidi override, naming it",
        arguments: [
            ("\r", "U+000D"), ("\n", "U+000A"), ("\t", "U+0009"), ("\u{0B}", "U+000B"), ("\u{0C}", "U+000C"),
            ("\u{1B}", "U+001B"), ("\u{7F}", "U+007F"), ("\u{85}", "U+0085"), ("\u{9B}", "U+009B"),
            ("\u{2028}", "U+2028"), ("\u{2029}", "U+2029"), ("\u{202E}", "U+202E"), ("\u{202A}", "U+202A"),
            ("\u{2066}", "U+2066"), ("\u{2069}", "U+2069"), ("\u{200F}", "U+200F"), ("\u{061C}", "U+061C"),
        ])
    func refusesControls(character: String, codePoint: String) {
        for text in ["Budi" + character + "Bcc: x@evil.test", character + "Budi", "Budi" + character] {
            let error = #expect(throws: ValidationError.self) { try DisplayName(text, field: "schoolName") }
            #expect(error?.code == .nameControlCharacter)
            #expect(error?.field == "schoolName")
            #expect(error?.message.english.contains(codePoint) == true, "\(error?.message.english ?? "")")
            #expect(error?.message.indonesian.contains(codePoint) == true)
        }
    }

    @Test("a stored name with a control character does not decode")
    func decodeRefusesControls() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DisplayName.self, from: Data(#""Budi\u2028Santoso""#.utf8))
        }
    }
}
