import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikAccounts

/// The validating initializers' ASCII fast paths (issue 15) accept exactly what the old code
/// (`LegacyValidation.swift`) accepted, to the same value, and refuse everything else with the same
/// error (code, field and both messages), on seeded random input: ASCII and not, empty, huge,
/// CR/LF, dots and `@` anywhere, IDN domains, mixed case, surrounding and inner white space,
/// controls, combining marks and bidirectional controls.
@Suite(.timeLimit(.minutes(10)))
struct ValidationEquivalenceTests {
    /// Runs `new` and `old` on `input`: both accept, to values `same` calls equal, or both throw
    /// the same error. Returns the outcome (`"ok"` or the error code), so a test can show that its
    /// inputs reached every rule.
    @discardableResult
    static func expectSame<New, Old>(
        _ input: String, new: (String) throws(ValidationError) -> New, old: (String) throws(ValidationError) -> Old,
        same: (New, Old) -> Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        let context = "\(input.debugDescription) \(input.unicodeScalars.map { String($0.value, radix: 16) })"
        switch (
            Result { () throws(ValidationError) in try new(input) },
            Result { () throws(ValidationError) in try old(input) }
        ) {
        case (.success(let value), .success(let expected)):
            #expect(same(value, expected), "\(context)", sourceLocation: sourceLocation)
            return "ok"
        case (.failure(let error), .failure(let expected)):
            #expect(error == expected, "\(context)", sourceLocation: sourceLocation)
            return expected.code.rawValue
        case (let outcome, let expected):
            Issue.record("\(context): \(outcome) against the old \(expected)", sourceLocation: sourceLocation)
            return "differs"
        }
    }

    /// Pieces random inputs are made of: what each rule looks at, and the Unicode that must not
    /// take the fast path (non-breaking and ideographic spaces, combining marks, bidirectional and
    /// line separators, NEL, the Kelvin sign and dotted capital I that lower-case oddly, full-width
    /// `@` and digits, an IDN label, an emoji with a joiner, an Arabic prepended mark).
    static let asciiPieces: [String] = [
        "a", "z", "A", "Z", "k", "K", "0", "9", "5", ".", "..", "@", "-", "_", "+", "'", "!", "#", "$", "%", "&", "*",
        "/", "=", "?", "^", "`", "{", "|", "}", "~", "\"", "\\", " ", "  ", "\t", "\r", "\n", "\r\n", "\u{0}",
        "\u{B}", "\u{C}", "\u{1F}", "\u{7F}", "(", ")", ",", ":", ";", "<", ">", "[", "]", "p", "P",
        "gmail", "com", "sch", "id", "co", "xn--bcher-kva", "budi.santoso", "Guru", "SD", "Negeri",
    ]
    static let unicodePieces: [String] = [
        "\u{A0}", "\u{2003}", "\u{3000}", "\u{85}", "\u{2028}", "\u{2029}", "\u{202E}", "\u{200E}", "\u{61C}",
        "\u{2066}", "\u{200D}", "\u{301}", " \u{301}", "é", "e\u{301}", "ü", "bücher", "İ", "\u{212A}", "ß",
        "\u{FF20}", "\u{FF11}", "\u{661}", "Ñ", "ﬁ", "👩‍💻", "\u{600}", "\u{600} ", "日本", "Λ", "\u{FEFF}",
    ]

    /// A random string of `count` pieces; non-ASCII pieces only when `unicode`.
    static func text(pieces count: Int, unicode: Bool, using generator: inout SeededGenerator) -> String {
        var text = ""
        for _ in 0..<count {
            if unicode, Int.random(in: 0..<6, using: &generator) == 0 {
                text += unicodePieces.randomElement(using: &generator)!
            } else {
                text += asciiPieces.randomElement(using: &generator)!
            }
        }
        return text
    }

    /// Mostly well-formed: a local part and a domain that break one rule now and then.
    static func address(unicode: Bool, using generator: inout SeededGenerator) -> String {
        func word(_ length: ClosedRange<Int>, _ alphabet: String) -> String {
            String(
                (0..<Int.random(in: length, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        let local = word(0...70, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+'")
        var labels = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
            word(0...66, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        }
        if Bool.random(using: &generator) {
            labels.append(["com", "id", "123", "CO", "x-y", "ac.id"].randomElement(using: &generator)!)
        }
        var address = local + "@" + labels.joined(separator: ".")
        if Int.random(in: 0..<4, using: &generator) == 0 {
            let noise = text(pieces: 1, unicode: unicode, using: &generator)
            let offset = Int.random(in: 0...address.count, using: &generator)
            address.insert(contentsOf: noise, at: address.index(address.startIndex, offsetBy: offset))
        }
        let padding = unicode ? [" ", "\t", "\r\n", "\u{A0}", "\u{3000}", ""] : [" ", "\t", "\r\n", "\n", ""]
        return padding.randomElement(using: &generator)! + address + padding.randomElement(using: &generator)!
    }

    @Test("e-mail addresses: the same accepted set, values, canonical forms and errors as before")
    func emailAddresses() {
        var generator = SeededGenerator(seed: 0x15_E4A1)
        var outcomes: [String: Int] = [:]
        let fixed = [
            "", " ", "\u{A0}", "a@b.co", " Kartini.W@Gmail.COM\r\n", "a@b", "@b.co", "a@", "a@@b.co", "a.@b.co",
            "-a@b.co", "a..b@b.co", "a@b..co", "a@-b.co", "a@b.123", "a@b.c0m", "a@1.2.3.4", "bücher@x.id",
            "a@bücher.de", "a@xn--bcher-kva.de", "a\u{0}@b.co", "a b@b.co", "\u{A0}a@b.co\u{3000}", "a\u{A0}b@b.co",
            "\u{212A}@b.co", "a@b.co\u{301}", "\"a\"@b.co", "a\\b@b.co", String(repeating: "a", count: 64) + "@b.co",
            String(repeating: "a", count: 65) + "@b.co", "a@" + EmailAddressTests.domain(ofLength: 253),
            String(repeating: "a", count: 64) + "@" + EmailAddressTests.domain(ofLength: 189),
            String(repeating: "a", count: 64) + "@" + EmailAddressTests.domain(ofLength: 190),
            String(repeating: "x@y.z", count: 10_000),
        ]
        var inputs = fixed
        for round in 0..<6_000 {
            let unicode = round % 3 == 2
            inputs.append(
                round % 2 == 0
                    ? Self.address(unicode: unicode, using: &generator)
                    : Self.text(pieces: Int.random(in: 0...12, using: &generator), unicode: unicode, using: &generator))
        }
        for input in inputs {
            let outcome = Self.expectSame(
                input, new: { (s: String) throws(ValidationError) in try EmailAddress(s) },
                old: { (s: String) throws(ValidationError) in try LegacyEmailAddress(s) },
                same: { new, old in
                    new.localPart == old.localPart && new.domain == old.domain
                        && new.value == old.localPart + "@" + old.domain
                        && new.canonical == (old.localPart + "@" + old.domain).lowercased()
                })
            outcomes[outcome, default: 0] += 1
        }
        #expect(outcomes["differs"] == nil)
        #expect(outcomes["ok", default: 0] >= 200, "\(outcomes)")
        let codes: [ValidationError.Code] = [
            .emailEmpty, .emailControlCharacter, .emailWhitespace, .emailNonASCII, .emailTooLong, .emailMissingAt,
            .emailEmptyLocalPart, .emailLocalPartTooLong, .emailQuoted, .emailInvalidCharacter, .emailLeadingHyphen,
            .emailDots, .emailEmptyDomain, .emailDomainTooLong, .emailDomainWithoutDot, .emailInvalidDomain,
        ]
        for code in codes { #expect(outcomes[code.rawValue, default: 0] > 0, "no input reached \(code)") }
    }

    @Test("display names: the same accepted set, collapsed values and errors as before")
    func displayNames() {
        var generator = SeededGenerator(seed: 0x15_4A3E)
        var outcomes: [String: Int] = [:]
        var inputs = [
            "", " ", "  SD  Negeri 1 ", "SD Negeri 1 Wamena", "Ni Luh\tPutu", "A\u{202E}B", "x\u{2028}", "a\u{85}",
            " \u{301}a b", "\u{A0}Siti\u{A0}", String(repeating: "a", count: 150), String(repeating: "a", count: 151),
            String(repeating: "é", count: 150), String(repeating: "é", count: 151),
            String(repeating: "e\u{301}", count: 151),
            String(repeating: " a", count: 150), String(repeating: " a ", count: 75) + "a",
            String(repeating: "Guru ", count: 20_000),
        ]
        for round in 0..<6_000 {
            let unicode = round % 3 == 2
            inputs.append(
                Self.text(
                    pieces: Int.random(in: 0...(round % 50 == 0 ? 200 : 16), using: &generator), unicode: unicode,
                    using: &generator))
        }
        for input in inputs {
            for field in ["name", "schoolName"] {
                let outcome = Self.expectSame(
                    // The legacy rules are those of a stored name (a name as typed must also have a
                    // character one can see: `DisplayNameVisibilityTests`).
                    input,
                    new: { (s: String) throws(ValidationError) in try DisplayName(stored: s, field: field) },
                    old: { (s: String) throws(ValidationError) in try LegacyDisplayName(s, field: field) },
                    same: { $0.value == $1.value })
                outcomes[outcome, default: 0] += 1
            }
        }
        #expect(outcomes["differs"] == nil)
        #expect(outcomes["ok", default: 0] >= 200, "\(outcomes)")
        for code in [ValidationError.Code.nameEmpty, .nameTooLong, .nameControlCharacter] {
            #expect(outcomes[code.rawValue, default: 0] > 0, "no input reached \(code)")
        }
    }

    @Test("usernames: the same accepted set, lower-cased values and errors as before")
    func usernames() {
        var generator = SeededGenerator(seed: 0x15_05E2)
        var outcomes: [String: Int] = [:]
        var inputs = [
            "", "ab", "abc", " Budi.Santoso ", "\u{212A}elvin", "İlham", "\u{A0}abc\u{A0}", "a b", ".abc", "abc-",
            "\u{600} abc", "Kartini@Gmail.com", String(repeating: "a", count: 254), String(repeating: "A", count: 255),
            String(repeating: "ab", count: 10_000),
        ]
        for round in 0..<6_000 {
            inputs.append(
                round % 2 == 0
                    ? Self.address(unicode: round % 3 == 2, using: &generator)
                    : Self.text(
                        pieces: Int.random(in: 0...10, using: &generator), unicode: round % 3 == 2, using: &generator))
        }
        for input in inputs {
            let outcome = Self.expectSame(
                input, new: { (s: String) throws(ValidationError) in try Username(s) },
                old: { (s: String) throws(ValidationError) in try LegacyUsername(s) }, same: { $0.value == $1.value })
            outcomes[outcome, default: 0] += 1
        }
        #expect(outcomes["differs"] == nil)
        for code in ["ok", "username.length", "username.character", "username.edge"] {
            #expect(outcomes[code, default: 0] > 0, "no input reached \(code): \(outcomes)")
        }
    }

    /// A string of digits as identifiers are typed: mostly the right length, sometimes with a
    /// letter, a full-width or Arabic-Indic digit, a combining mark or surrounding white space.
    static func digits(lengths: [Int], first: [String] = [], using generator: inout SeededGenerator) -> String {
        var text = first.isEmpty || Bool.random(using: &generator) ? "" : first.randomElement(using: &generator)!
        let length = lengths.randomElement(using: &generator)! - text.count
        for _ in 0..<max(0, length) {
            text +=
                Int.random(in: 0..<3, using: &generator) == 0 ? "0" : String(Int.random(in: 0...9, using: &generator))
        }
        switch Int.random(in: 0..<12, using: &generator) {
        case 0: text = " " + text + "\r\n"
        case 1: text = "\u{A0}" + text + "\u{3000}"
        case 2 where !text.isEmpty:
            let noise = ["\u{FF11}", "\u{661}", "\u{301}", "a", "p", "K", " ", "\u{0}"].randomElement(
                using: &generator)!
            let offset = Int.random(in: 0...text.count, using: &generator)
            text.insert(contentsOf: noise, at: text.index(text.startIndex, offsetBy: offset))
        default: break
        }
        return text
    }

    @Test("NPSN, NUPTK, NIK and NIP: the same accepted set, values and errors as before")
    func identifiers() {
        var generator = SeededGenerator(seed: 0x15_1D5)
        var outcomes: [String: Int] = [:]
        func record(_ outcome: String, _ kind: String) { outcomes[kind + ":" + outcome, default: 0] += 1 }
        let fixed = [
            "", " ", "20100101", "p9970001", " K1234567 ", "123456", "P123456", "P\u{301}1234567", "\u{FF12}0100101",
        ]
        for round in 0..<4_000 {
            let npsn =
                round < fixed.count
                ? fixed[round]
                : Self.digits(lengths: [5, 6, 7, 8, 9], first: ["p", "P", "k", "K", "x"], using: &generator)
            record(
                Self.expectSame(
                    npsn, new: { (s: String) throws(ValidationError) in try NPSN(s) },
                    old: { (s: String) throws(ValidationError) in try LegacyNPSN(s) }, same: { $0.value == $1.value }),
                "npsn")
            let nuptk = Self.digits(lengths: [15, 16, 17], using: &generator)
            record(
                Self.expectSame(
                    nuptk, new: { (s: String) throws(ValidationError) in try NUPTK(s) },
                    old: { (s: String) throws(ValidationError) in try LegacyNUPTK(s) }, same: { $0.value == $1.value }),
                "nuptk")
            // A NIK with a plausible structure most of the time: region codes, DDMMYY (a woman's
            // day + 40), serial.
            var nik = Self.digits(lengths: [16], using: &generator)
            if round % 2 == 0 {
                let parts = [
                    Int.random(in: 0...99, using: &generator), Int.random(in: 0...99, using: &generator),
                    Int.random(in: 0...99, using: &generator), Int.random(in: 0...72, using: &generator),
                    Int.random(in: 0...13, using: &generator), Int.random(in: 0...99, using: &generator),
                ]
                nik =
                    parts.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined()
                    + Self.fourDigits(round % 8 == 0 ? 0 : Int.random(in: 0...9999, using: &generator))
            }
            record(
                Self.expectSame(
                    nik, new: { (s: String) throws(ValidationError) in try NIK(s) },
                    old: { (s: String) throws(ValidationError) in try LegacyNIK(s) }, same: { $0.value == $1.value }),
                "nik")
            var nip = Self.digits(lengths: [17, 18, 19], using: &generator)
            if round % 2 == 0 {
                let year = Int.random(in: 1890...2030, using: &generator)
                let month = Int.random(in: 0...13, using: &generator)
                let day = Int.random(in: 0...32, using: &generator)
                let appointment = Int.random(in: 1880...2040, using: &generator)
                let appointmentMonth = Int.random(in: 0...13, using: &generator)
                nip =
                    "\(year)\(month < 10 ? "0" : "")\(month)\(day < 10 ? "0" : "")\(day)\(appointment)"
                    + "\(appointmentMonth < 10 ? "0" : "")\(appointmentMonth)\(Int.random(in: 0...3, using: &generator))"
                    + Self.fourDigits(round % 8 == 0 ? 0 : Int.random(in: 0...999, using: &generator)).dropFirst()
            }
            record(
                Self.expectSame(
                    nip, new: { (s: String) throws(ValidationError) in try NIP(s) },
                    old: { (s: String) throws(ValidationError) in try LegacyNIP(s) }, same: { $0.value == $1.value }),
                "nip")
        }
        #expect(outcomes.keys.allSatisfy { !$0.hasSuffix("differs") }, "\(outcomes)")
        let expected = [
            "npsn:ok", "npsn:npsn.format", "nuptk:ok", "nuptk:nuptk.format", "nik:ok", "nik:nik.format",
            "nik:nik.region", "nik:nik.birthDate", "nik:nik.serial", "nip:ok", "nip:nip.format", "nip:nip.birthDate",
            "nip:nip.appointment", "nip:nip.sex", "nip:nip.serial",
        ]
        for key in expected { #expect(outcomes[key, default: 0] > 0, "no input reached \(key): \(outcomes)") }
    }

    @Test("trimming and reading digits: the same results as the old helpers")
    func helpers() {
        var generator = SeededGenerator(seed: 0x15_7217)
        for round in 0..<5_000 {
            let text =
                round % 3 == 0
                ? Self.digits(lengths: [0, 1, 2, 4, 6], using: &generator)
                : Self.text(
                    pieces: Int.random(in: 0...8, using: &generator), unicode: round % 3 == 1, using: &generator)
            #expect(text.trimmingWhitespace() == text.legacyTrimmingWhitespace(), "\(text.debugDescription)")
            let offset = Int.random(in: -1...6, using: &generator)
            let count = Int.random(in: -1...6, using: &generator)
            #expect(text.asciiNumber(at: offset, count: count) == text.legacyASCIINumber(at: offset, count: count))
            #expect(text.isASCIIDigits(count: count) == text.legacyIsASCIIDigits(count: count))
        }
    }

    /// `value` as four digits, zero-padded.
    static func fourDigits(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension ValidationEquivalenceTests {
    @Test("an account id's description is its UUID string lower-cased, for random UUIDs")
    func accountIDDescription() {
        var generator = SeededGenerator(seed: 0x15_1DD)
        for _ in 0..<2_000 {
            let uuid = generator.uuid()
            #expect(AccountID(uuid).description == uuid.uuidString.lowercased())
        }
    }
}
