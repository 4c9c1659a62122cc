import DapodikAccounts
import Foundation
import Testing

struct UsernameTests {
    static func code(of string: String) -> ValidationError.Code? {
        do {
            _ = try Username(string)
            return nil
        } catch {
            return error.code
        }
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
        #expect(try DisplayName("  Ni Luh   Putu\tAyu ").value == "Ni Luh Putu Ayu")
        #expect(try DisplayName("Dr. Siti Nurhaliza, M.Pd.").value == "Dr. Siti Nurhaliza, M.Pd.")
        #expect(try DisplayName("ꦱꦸꦏꦂꦤ").value == "ꦱꦸꦏꦂꦤ")
    }

    @Test("refuses an empty name, one over 150 characters, and control characters")
    func refuses() throws {
        #expect(try DisplayName(String(repeating: "a", count: 150)).value.count == 150)
        let tooLong = #expect(throws: ValidationError.self) { try DisplayName(String(repeating: "a", count: 151)) }
        #expect(tooLong?.code == .nameTooLong)
        let empty = #expect(throws: ValidationError.self) { try DisplayName(" \n ", field: "schoolName") }
        #expect(empty?.code == .nameEmpty)
        #expect(empty?.field == "schoolName")
        let control = #expect(throws: ValidationError.self) { try DisplayName("Budi\u{0}") }
        #expect(control?.code == .nameControlCharacter)
    }
}
