import DapodikAccounts
import DapodikLanguage
import Foundation
import Testing

/// A name's size is bounded in code points as well as characters: one character may stack any number
/// of combining marks, and a name goes into e-mail headers and onto other people's screens.
@Suite("DisplayName: bounded in code points as well as characters")
struct DisplayNameSizeTests {
    @Test("one letter stacked with thousands of marks is too long, in both languages")
    func stackedMarks() {
        let stacked = "a" + String(repeating: "\u{301}", count: 100_000)
        #expect(stacked.count == 1)
        let error = #expect(throws: ValidationError.self) { _ = try DisplayName(stacked) }
        #expect(error?.code == .nameTooLong)
        #expect(error?.message.indonesian.contains("paling banyak 600 huruf dan tanda") == true)
        #expect(error?.message.english.contains("at most 600 letters and marks") == true)
        // Just over the bound: 150 characters of four code points each, plus one mark.
        let atTheBound = String(repeating: "a\u{301}\u{302}\u{303}", count: 150)
        #expect(atTheBound.count == 150 && atTheBound.unicodeScalars.count == 600)
        #expect(throws: Never.self) { _ = try DisplayName(atTheBound) }
        #expect(throws: ValidationError.self) { _ = try DisplayName(atTheBound + "\u{304}") }
    }

    @Test("names with several marks a letter, in the scripts that use them, are far inside the bound")
    func realNames() throws {
        for name in ["Nguyễn Thị Phương Thảo", "I Gusti Ngurah Rai", "ᬳᬦᬘᬭᬓ", "Ni Luh Putu Ayu Ṣūrya"] {
            #expect(try DisplayName(name).value == name)
        }
    }

    @Test("a stored name over the bound is still read back, so no stored record becomes unreadable")
    func storedNamesStayReadable() throws {
        let stacked = "a" + String(repeating: "\u{301}", count: 1_000)
        #expect(try DisplayName(stored: stacked).value == stacked)
        let decoded = try JSONDecoder().decode([DisplayName].self, from: JSONEncoder().encode([stacked]))
        #expect(decoded.first?.value == stacked)
    }
}
