import DapodikAccounts
import DapodikLanguage
import Foundation
import Testing

/// A name as typed must have a character one can see; a stored name is read back whatever it holds.
@Suite("DisplayName: a name nobody can see is no name")
struct DisplayNameVisibilityTests {
    static let invisible: [String] = [
        "\u{200B}", "\u{FEFF}", "\u{3164}", "\u{115F}", "\u{1160}", "\u{FFA0}", "\u{00AD}", "\u{301}",
        "\u{301}\u{302}", " \u{200B} \u{FEFF} ", "\u{A0}\u{200B}\u{A0}", "\u{20DD}", "\u{200D}",
    ]

    @Test("only invisible characters (zero-width, BOM, Hangul fillers, marks alone): nameEmpty, in both languages")
    func invisibleOnly() {
        for name in Self.invisible {
            let error = #expect(throws: ValidationError.self, "\(name.unicodeScalars.map(\.value))") {
                try DisplayName(name, field: "schoolName")
            }
            #expect(error?.code == .nameEmpty)
            #expect(error?.field == "schoolName")
            #expect(error?.message.indonesian.contains("tidak terlihat") == true)
            #expect(error?.message.english.contains("cannot be seen") == true)
        }
    }

    @Test("one visible character is enough, in any script, beside the invisible ones scripts need")
    func visibleNames() throws {
        for name in ["A", "e\u{301}", "가", "Ni Luh Putu", "SD Negeri 1", "ꦱꦶꦠꦶ", "Сити", "1"] {
            #expect(try DisplayName(name).value.isEmpty == false, "\(name)")
        }
        // A joiner inside a word stays (some scripts need it), and so does a variation selector.
        #expect(try DisplayName("क्\u{200D}ष").value == "क्\u{200D}ष")
        #expect(try DisplayName("ज़\u{200C}ि").value == "ज़\u{200C}ि")
        #expect(try DisplayName("Siti \u{2764}\u{FE0F}").value == "Siti \u{2764}\u{FE0F}")
    }

    @Test(
        "an invisible character beside visible ones is refused, naming it: two names must not look alike and differ",
        arguments: [
            ("Budi\u{200B}Santoso", "U+200B"), ("\u{200B}A", "U+200B"), ("A\u{FEFF}B", "U+FEFF"),
            ("A\u{00AD}B", "U+00AD"), ("\u{3164}가", "U+3164"), ("Budi\u{2060}", "U+2060"), ("Siti\u{E0041}", "U+E0041"),
        ])
    func invisibleAmongVisible(name: String, codePoint: String) {
        let error = #expect(throws: ValidationError.self) { try DisplayName(name) }
        #expect(error?.code == .nameControlCharacter)
        #expect(error?.message.english.contains(codePoint) == true, "\(String(describing: error))")
        #expect(error?.message.indonesian.contains("tidak terlihat (\(codePoint))") == true)
        // A name stored before the rule is read back as it is.
        #expect((try? DisplayName(stored: name)) != nil)
    }

    @Test("a stored name of invisible characters only is still read back, so no stored record becomes unreadable")
    func storedNamesStayReadable() throws {
        for name in Self.invisible where !name.trimmingCharacters(in: .whitespaces).isEmpty {
            #expect(try DisplayName(stored: name).value.isEmpty == false, "\(name.unicodeScalars.map(\.value))")
            let decoded = try JSONDecoder().decode([DisplayName].self, from: JSONEncoder().encode([name]))
            #expect(decoded.first?.value == (try DisplayName(stored: name).value))
        }
    }
}
