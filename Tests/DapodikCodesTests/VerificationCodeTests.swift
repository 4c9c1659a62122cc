import DapodikAccounts
import DapodikLanguage
import Foundation
import Testing

@testable import DapodikCodes

@Suite("Verification codes: reading, masking, generating")
struct VerificationCodeTests {
    @Test(
        "reads a code typed with spaces, hyphens, or any script's decimal digits",
        arguments: [
            "123456", " 123456 ", "123 456", "123-456", "12 34 56\n", "\u{00A0}123456", "１２３４５６", "١٢٣٤٥٦", "۱۲۳۴۵۶",
            "१२३४५६", "12３4٥6",
        ])
    func lenientParsing(input: String) throws {
        #expect(try VerificationCode(parsing: input).digits == "123456")
    }

    @Test(
        "refuses a code of the wrong length, naming the expected length",
        arguments: ["12345", "1234567", "1 2 3 4 5", "0000000"])
    func wrongLength(input: String) {
        let error = #expect(throws: CodeError.self) { try VerificationCode(parsing: input) }
        #expect(error?.code == .wrongLength)
        #expect(error?.message.indonesian.contains("terdiri dari 6 angka") == true)
        #expect(error?.message.english.contains("has 6 digits") == true)
    }

    @Test(
        "refuses letters and other symbols, superscripts and circled digits too, saying which digits",
        arguments: ["12345a", "l23456", "123.456", "+123456", "12345²", "12345①", "Ⅰ23456"])
    func invalidCharacter(input: String) {
        let error = #expect(throws: CodeError.self) { try VerificationCode(parsing: input) }
        #expect(error?.code == .invalidCharacter)
        #expect(error?.message.indonesian == "Kode verifikasi hanya boleh berisi angka 0–9.")
        #expect(error?.message.english == "The verification code may contain only the digits 0–9.")
    }

    @Test("refuses empty input", arguments: ["", "   ", " - "])
    func empty(input: String) {
        let error = #expect(throws: CodeError.self) { try VerificationCode(parsing: input) }
        #expect(error?.code == .empty)
    }

    @Test("keeps leading zeros and honours another configured length")
    func lengths() throws {
        #expect(try VerificationCode(parsing: "000042").digits == "000042")
        #expect(try VerificationCode(parsing: "1234 5678", length: 8).length == 8)
        let error = #expect(throws: CodeError.self) { try VerificationCode(parsing: "123456", length: 8) }
        #expect(error?.code == .wrongLength)
    }

    @Test("never prints its digits: description, interpolation, debug description and dump are masked")
    func masked() throws {
        let secret = try VerificationCode(parsing: "918273")
        var dumped = ""
        dump(secret, to: &dumped)
        for text in [secret.description, "\(secret)", String(reflecting: secret), dumped, "\([secret])"] {
            #expect(!text.contains("918273"))
            #expect(!text.contains("9"))
        }
        #expect(secret.description == "VerificationCode(••••••)")
    }

    @Test("two codes are equal exactly when their digits are")
    func equality() throws {
        #expect(try VerificationCode(parsing: "123456") == VerificationCode(parsing: "123 456"))
        #expect(try VerificationCode(parsing: "123456") != VerificationCode(parsing: "123457"))
        #expect(try VerificationCode(parsing: "123456") != VerificationCode(parsing: "1234567", length: 7))
    }

    @Test("generates codes of every supported length and refuses others", arguments: [5, 6, 8, 12, 13])
    func generatedLength(length: Int) throws {
        if VerificationCode.supportedLengths.contains(length) {
            let generated = try VerificationCode.random(length: length)
            #expect(generated.length == length)
            #expect(generated.digits.allSatisfy(\.isASCII) && generated.digits.allSatisfy(\.isNumber))
        } else {
            let error = #expect(throws: CodeError.self) { try VerificationCode.random(length: length) }
            #expect(error?.code == .unsupportedLength)
        }
    }

    @Test("rejects a draw from the biased tail of 2^64 and draws again")
    func rejectionSampling() throws {
        let modulus: UInt64 = 1_000_000
        let acceptedBelow = (UInt64.max / modulus) * modulus
        // Draws at or above `acceptedBelow` would make the residues 0…(2^64 mod 10^6 - 1) more likely.
        var rigged = Rigged([UInt64.max, acceptedBelow, acceptedBelow - 1])
        #expect(try VerificationCode.random(length: 6, using: &rigged).digits == "999999")
        #expect(rigged.drawn == 3)
        var plain = Rigged([42])
        #expect(try VerificationCode.random(length: 6, using: &plain).digits == "000042")
    }

    @Test("is uniform: chi-square over 200,000 codes, per digit position and over 1,000 buckets, at p = 1e-6")
    func uniformity() throws {
        let count = 200_000
        var positions = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 6)
        var buckets = [Int](repeating: 0, count: 1000)
        for _ in 0..<count {
            let digits = Array(try VerificationCode.random().digits.utf8).map { Int($0 - UInt8(ascii: "0")) }
            for (position, digit) in digits.enumerated() { positions[position][digit] += 1 }
            buckets[digits[0] * 100 + digits[1] * 10 + digits[2]] += 1
        }
        // Critical values at p = 1e-6 (scipy.stats.chi2.isf(1e-6, df)): 44.81 for 9 degrees of
        // freedom, 1226.05 for 999. A fair generator fails one of these seven checks about once in
        // 140,000 runs; a bias of 1% in one digit gives chi-square near 200.
        for (position, counts) in positions.enumerated() {
            #expect(Self.chiSquare(counts) < 44.81, "digit position \(position + 1)")
        }
        #expect(Self.chiSquare(buckets) < 1226.05, "the first three digits as 1,000 buckets")
    }

    @Test("the policy reads codes with its own length, and generates them")
    func policyLength() throws {
        let policy = try VerificationPolicy(codeLength: 8)
        #expect(try policy.parseCode("1234-5678").length == 8)
        let error = #expect(throws: CodeError.self) { try policy.parseCode("123456") }
        #expect(error?.code == .wrongLength)
        #expect(policy.generateCode().length == 8)
        #expect(VerificationPolicy.default.generateCode().length == 6)
    }

    static func chiSquare(_ counts: [Int]) -> Double {
        let expected = Double(counts.reduce(0, +)) / Double(counts.count)
        return counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    }
}

/// A generator that returns the given values in turn.
struct Rigged: RandomNumberGenerator {
    private let values: [UInt64]
    private(set) var drawn = 0

    init(_ values: [UInt64]) { self.values = values }

    mutating func next() -> UInt64 {
        defer { drawn += 1 }
        return values[drawn]
    }
}
