import DapodikAccounts
import Foundation
import Testing

struct NPSNTests {
    @Test(
        "accepts the three shapes and tells the kind of institution",
        arguments: [
            ("20100001", NPSN.Kind.school), ("P9970001", .communityLearningCentre), ("K5670001", .courseInstitution),
            ("001001", .university),
        ])
    func acceptsShapes(_ string: String, _ kind: NPSN.Kind) throws {
        let npsn = try NPSN(string)
        #expect(npsn.value == string)
        #expect(npsn.kind == kind)
    }

    @Test("trims white space and upper-cases a leading p or k")
    func normalizes() throws {
        #expect(try NPSN(" p9970001 ").value == "P9970001")
        #expect(try NPSN("k5670001").value == "K5670001")
    }

    @Test(
        "refuses every other shape",
        arguments: [
            "", "2010000", "201000011", "2010000A", "P997000", "P99700011", "X9970001", "PP970001", "20100 001",
            "12345", "1234567", "１２３４５６７８", "P-997000",
        ])
    func refusesOtherShapes(_ string: String) {
        let error = #expect(throws: ValidationError.self) { try NPSN(string) }
        #expect(error?.code == .npsnFormat)
        #expect(error?.field == "npsn")
    }

    @Test("round-trips through JSON and refuses a tampered value on decode")
    func codable() throws {
        let npsn = try NPSN("P9970001")
        let data = try JSONEncoder().encode(npsn)
        #expect(try JSONDecoder().decode(NPSN.self, from: data) == npsn)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(NPSN.self, from: Data(#""X9970001""#.utf8)) }
    }
}

struct NUPTKTests {
    @Test("accepts exactly 16 digits")
    func accepts16Digits() throws {
        #expect(try NUPTK(" 1234567890123456 ").value == "1234567890123456")
    }

    @Test(
        "refuses 15 or 17 digits and anything not a digit",
        arguments: ["123456789012345", "12345678901234567", "123456789012345A", "1234 5678 9012 3456", ""])
    func refusesOthers(_ string: String) {
        let error = #expect(throws: ValidationError.self) { try NUPTK(string) }
        #expect(error?.code == .nuptkFormat)
    }

    @Test("round-trips through JSON and refuses a tampered value on decode")
    func codable() throws {
        let nuptk = try NUPTK("1234567890123456")
        #expect(try JSONDecoder().decode(NUPTK.self, from: JSONEncoder().encode(nuptk)) == nuptk)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(NUPTK.self, from: Data(#""12""#.utf8)) }
    }
}
