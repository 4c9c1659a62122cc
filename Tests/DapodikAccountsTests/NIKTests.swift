import DapodikAccounts
import DapodikLanguage
import Foundation
import Testing

struct NIKTests {
    /// The code of the error reading `string` throws (a recorded issue when it throws none).
    static func code(of string: String, sourceLocation: SourceLocation = #_sourceLocation) -> ValidationError.Code? {
        #expect(throws: ValidationError.self, sourceLocation: sourceLocation) { try NIK(string) }?.code
    }

    @Test("reads region, birth date, sex and serial from a man's NIK")
    func readsAMansNIK() throws {
        let nik = try NIK("3201011708850003")
        #expect(nik.provinceCode == "32")
        #expect(nik.regencyCode == "01")
        #expect(nik.districtCode == "01")
        #expect(nik.birthDay == 17)
        #expect(nik.birthMonth == 8)
        #expect(nik.birthYearWithinCentury == 85)
        #expect(nik.sex == .male)
        #expect(nik.serial == "0003")
    }

    @Test("a woman's NIK carries her birth day plus 40")
    func womansDayPlusForty() throws {
        let nik = try NIK("3201015708850003")
        #expect(nik.sex == .female)
        #expect(nik.birthDay == 17)
        #expect(nik.birthMonth == 8)
    }

    @Test("a woman's encoded day runs from 41 to 71; 40 and 72 are no day", arguments: [40, 72])
    func womansDayBounds(_ encodedDay: Int) throws {
        #expect(try NIK("3201014101900001").birthDay == 1)
        #expect(try NIK("3201017101900001").birthDay == 31)
        #expect(Self.code(of: "320101\(encodedDay)01900001") == .nikBirthDate)
    }

    @Test(
        "refuses a birth date that does not exist",
        arguments: [
            "3201010008850001", "3201013208850001", "3201011700850001", "3201011713850001", "3201013104850001",
            "3201017104850001", "3201013002000001",
        ])
    func refusesUnrealDates(_ string: String) {
        #expect(Self.code(of: string) == .nikBirthDate)
    }

    @Test("29 February is accepted when the year is a leap year in 19YY or 20YY, and only then")
    func leapDay() throws {
        // 00: 1900 was no leap year but 2000 was.
        #expect(try NIK("3201012902000001").possibleBirthDates.map(\.year) == [2000])
        // 96: both 1996 and 2096 are leap years.
        #expect(try NIK("3201016902960001").possibleBirthDates.map(\.year) == [1996, 2096])
        // 01: neither 1901 nor 2001.
        #expect(Self.code(of: "3201012902010001") == .nikBirthDate)
        #expect(Self.code(of: "3201016902010001") == .nikBirthDate)
        #expect(try NIK("3201012802010001").birthDay == 28)
    }

    @Test("the century is resolved as the latest reading not after a given year")
    func resolvesCentury() throws {
        #expect(try NIK("3201011708050001").birthDate(notAfter: 2025) == CalendarDate(year: 2005, month: 8, day: 17))
        #expect(try NIK("3201011708850001").birthDate(notAfter: 2025) == CalendarDate(year: 1985, month: 8, day: 17))
        #expect(try NIK("3201012902000001").birthDate(notAfter: 1999) == nil)
    }

    @Test("refuses region codes and a serial of all zeros")
    func refusesZeroCodes() {
        #expect(Self.code(of: "0001011708850001") == .nikRegion)
        #expect(Self.code(of: "3200011708850001") == .nikRegion)
        #expect(Self.code(of: "3201001708850001") == .nikRegion)
        #expect(Self.code(of: "3201011708850000") == .nikSerial)
    }

    @Test(
        "refuses anything but 16 ASCII digits",
        arguments: [
            "320101170885000", "32010117088500011", "320101170885000X", "3201 0117 0885 0001", "", "３２０１０１１７０８８５０００１",
        ])
    func refusesFormat(_ string: String) {
        #expect(Self.code(of: string) == .nikFormat)
    }

    @Test("errors name the field and speak both languages")
    func errorMessages() {
        let error = #expect(throws: ValidationError.self) { try NIK("3201013208850001") }
        #expect(error?.field == "nik")
        #expect(error?.message(in: .indonesian).contains("Tanggal lahir") == true)
        #expect(error?.message(in: .english).contains("birth date") == true)
    }

    @Test("round-trips through JSON and refuses a tampered value on decode")
    func codable() throws {
        let nik = try NIK("3201015708850003")
        #expect(try JSONDecoder().decode(NIK.self, from: JSONEncoder().encode(nik)) == nik)
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(NIK.self, from: Data(#""3201013208850001""#.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted")
            return
        }
        #expect((context.underlyingError as? ValidationError)?.code == .nikBirthDate)
    }
}
