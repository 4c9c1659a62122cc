import DapodikAccounts
import Foundation
import Testing

struct NIPTests {
    /// The code of the error reading `string` throws (a recorded issue when it throws none).
    static func code(of string: String, sourceLocation: SourceLocation = #_sourceLocation) -> ValidationError.Code? {
        #expect(throws: ValidationError.self, sourceLocation: sourceLocation) { try NIP(string) }?.code
    }

    @Test("reads birth date, appointment, sex and serial")
    func readsParts() throws {
        let nip = try NIP("198503122010011003")
        #expect(nip.birthDate == CalendarDate(year: 1985, month: 3, day: 12))
        #expect(nip.appointmentYear == 2010)
        #expect(nip.appointmentMonth == 1)
        #expect(nip.sex == .male)
        #expect(nip.serial == "003")
        #expect(try NIP("198503122010012003").sex == .female)
    }

    @Test("refuses a birth date that does not exist or lies before 1900")
    func refusesBirthDates() throws {
        #expect(Self.code(of: "198502302010011003") == .nipBirthDate)
        #expect(Self.code(of: "198513012010011003") == .nipBirthDate)
        #expect(Self.code(of: "198500122010011003") == .nipBirthDate)
        #expect(Self.code(of: "189912312010011003") == .nipBirthDate)
        #expect(try NIP("190001012010011003").birthDate.year == 1900)
    }

    @Test("29 February is a birth date only in a leap year")
    func leapDay() throws {
        #expect(try NIP("198402292010011003").birthDate.day == 29)
        #expect(try NIP("200002292020011003").birthDate.year == 2000)
        #expect(Self.code(of: "198502292010011003") == .nipBirthDate)
        #expect(Self.code(of: "190002292010011003") == .nipBirthDate)
    }

    @Test("the appointment month runs from 01 to 12", arguments: ["198503122010001003", "198503122010131003"])
    func appointmentMonth(_ string: String) throws {
        #expect(try NIP("198503122010121003").appointmentMonth == 12)
        #expect(Self.code(of: string) == .nipAppointment)
    }

    @Test("an appointment in the month of birth is accepted, in the month before refused")
    func appointmentNotBeforeBirth() throws {
        #expect(try NIP("198503121985031003").appointmentMonth == 3)
        #expect(Self.code(of: "198503121985021003") == .nipAppointment)
        #expect(Self.code(of: "198503121984121003") == .nipAppointment)
    }

    @Test("the sex digit is 1 or 2", arguments: ["0", "3", "9"])
    func sexDigit(_ digit: String) {
        #expect(Self.code(of: "19850312201001\(digit)003") == .nipSex)
    }

    @Test("refuses a serial of 000 and anything but 18 ASCII digits")
    func refusesFormat() {
        #expect(Self.code(of: "198503122010011000") == .nipSerial)
        #expect(Self.code(of: "19850312201001100") == .nipFormat)
        #expect(Self.code(of: "1985031220100110031") == .nipFormat)
        #expect(Self.code(of: "19850312 201001 1 003") == .nipFormat)
        #expect(Self.code(of: "19850312201001100A") == .nipFormat)
    }

    @Test("round-trips through JSON and refuses a tampered value on decode")
    func codable() throws {
        let nip = try NIP("198503122010012003")
        #expect(try JSONDecoder().decode(NIP.self, from: JSONEncoder().encode(nip)) == nip)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(NIP.self, from: Data(#""198503122010013003""#.utf8))
        }
    }
}
