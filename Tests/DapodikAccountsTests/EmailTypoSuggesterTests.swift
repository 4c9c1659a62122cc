import Foundation
import Testing

@testable import DapodikAccounts

struct EmailTypoSuggesterTests {
    static func suggestion(_ string: String) throws -> String? {
        try EmailAddress(string).suggestedCorrection?.value
    }

    @Test(
        "suggests the common domain a typo was meant to be",
        arguments: [
            ("budi@gmial.com", "budi@gmail.com"), ("budi@yaho.co.id", "budi@yahoo.co.id"),
            ("budi@gmail.co", "budi@gmail.com"), ("budi@gmail.con", "budi@gmail.com"),
            ("budi@gmai.com", "budi@gmail.com"), ("budi@gamil.com", "budi@gmail.com"),
            ("Budi.S@hotmial.com", "Budi.S@hotmail.com"), ("budi@outlok.com", "budi@outlook.com"),
            ("budi@yahooo.com", "budi@yahoo.com"), ("budi@belajar.di", "budi@belajar.id"),
            ("budi@icloud.co", "budi@icloud.com"), ("budi@kemdikbud.go.di", "budi@kemdikbud.go.id"),
        ])
    func suggests(_ typed: String, _ expected: String) throws {
        #expect(try Self.suggestion(typed) == expected)
    }

    @Test(
        "never corrects a domain on the list",
        arguments: [
            "gmail.com", "ymail.com", "yahoo.co.id", "yahoo.com", "mail.com", "email.com", "live.com", "me.com",
            "belajar.id",
        ])
    func leavesKnownDomains(_ domain: String) throws {
        #expect(try Self.suggestion("budi@" + domain) == nil)
    }

    @Test(
        "never corrects a subdomain of belajar.id, and corrects a typo in its parent part",
        arguments: ["guru.smp.belajar.id", "admin.sd.belajar.id"])
    func belajarSubdomains(_ domain: String) throws {
        #expect(try Self.suggestion("budi@" + domain) == nil)
        let typo = domain.replacingOccurrences(of: "belajar.id", with: "belajr.id")
        #expect(try Self.suggestion("budi@" + typo) == "budi@" + domain)
    }

    @Test(
        "leaves a domain far from every known one alone",
        arguments: ["sman1-wamena.sch.id", "ui.ac.id", "telkomsel.co.id", "example.org", "gmx.de"])
    func leavesUnknownDomains(_ domain: String) throws {
        #expect(try Self.suggestion("budi@" + domain) == nil)
    }

    @Test("between equally near domains the more common wins")
    func tieGoesToTheCommon() throws {
        // hmail.com is one substitution from both gmail.com and ymail.com.
        #expect(try Self.suggestion("budi@hmail.com") == "budi@gmail.com")
    }

    @Test("a three-letter name is corrected at distance 1 only")
    func shortNames() throws {
        let suggester = EmailTypoSuggester(knownDomains: ["abc.com"])
        #expect(suggester.suggestion(for: try EmailAddress("budi@abd.com"))?.domain == "abc.com")
        #expect(suggester.suggestion(for: try EmailAddress("budi@xyc.com")) == nil)
    }

    @Test("distance 2 is a typo, distance 3 is not")
    func distanceBoundary() throws {
        let suggester = EmailTypoSuggester(knownDomains: ["sekolah.id"])
        #expect(suggester.suggestion(for: try EmailAddress("budi@sekola.id"))?.domain == "sekolah.id")
        #expect(suggester.suggestion(for: try EmailAddress("budi@sekloa.id"))?.domain == "sekolah.id")
        #expect(suggester.suggestion(for: try EmailAddress("budi@skloa.id")) == nil)
    }

    @Test("a suggestion keeps the local part exactly as typed")
    func keepsLocalPart() throws {
        #expect(try EmailAddress("Kartini.W+ptk@gmial.com").suggestedCorrection?.localPart == "Kartini.W+ptk")
    }
}

struct DamerauLevenshteinTests {
    static func distance(_ a: String, _ b: String, limit: Int = 10) -> Int? {
        damerauLevenshteinDistance(Array(a.utf8), Array(b.utf8), limit: limit)
    }

    @Test(
        "counts insertions, deletions, substitutions and adjacent swaps",
        arguments: [
            ("", "", 0), ("gmail", "gmail", 0), ("", "abc", 3), ("abc", "", 3), ("gmial", "gmail", 1),
            ("gmai", "gmail", 1), ("gmaill", "gmail", 1), ("gmall", "gmail", 1), ("ca", "abc", 2),
            ("kitten", "sitting", 3), ("abcdef", "badcfe", 3),
        ])
    func distances(_ a: String, _ b: String, _ expected: Int) {
        #expect(Self.distance(a, b) == expected)
        #expect(Self.distance(b, a) == expected)
    }

    @Test("gives up beyond the limit")
    func limit() {
        #expect(Self.distance("kitten", "sitting", limit: 2) == nil)
        #expect(Self.distance("kitten", "sitting", limit: 3) == 3)
        #expect(Self.distance("a", "abcd", limit: 2) == nil)
    }
}

struct EmailAddressMaskedTests {
    @Test(
        "shows the first character, three bullets and the domain",
        arguments: [
            ("kartini@gmail.com", "k•••@gmail.com"), ("b@yahoo.co.id", "b•••@yahoo.co.id"),
            ("Budi.Santoso@Belajar.id", "B•••@belajar.id"),
        ])
    func masks(_ address: String, _ masked: String) throws {
        #expect(try EmailAddress(address).masked == masked)
    }

    @Test("does not tell the local part's length")
    func hidesLength() throws {
        #expect(try EmailAddress("ab@gmail.com").masked == EmailAddress("abcdefghij@gmail.com").masked)
    }
}
