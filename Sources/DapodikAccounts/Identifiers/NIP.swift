/// A civil servant's number (*Nomor Induk Pegawai*), 18 digits:
///
/// | digits | meaning |
/// |---|---|
/// | 1–8 | birth date `YYYYMMDD` |
/// | 9–14 | appointment (TMT CPNS) `YYYYMM` |
/// | 15 | sex: `1` man, `2` woman |
/// | 16–18 | serial number |
///
/// (PP 11/2017 and BKN Regulation 22/2007 on the NIP's structure.)
///
/// Validation checks the structure: the birth date is a real date from 1900 on, the appointment
/// month is `1...12` and not before the birth month, the sex digit is `1` or `2`, and the serial is
/// not `000`. Whether the dates are plausible today (a birth date in the future, an appointment at
/// age 5) needs the current date and is left to the caller.
public struct NIP: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The earliest year accepted for birth and appointment: every NIP holder was born after 1900.
    public static let earliestYear = 1900

    /// The 18 digits.
    public let value: String

    /// The number.
    public var description: String { value }

    /// The birth date (digits 1–8).
    public var birthDate: CalendarDate {
        CalendarDate(
            year: value.asciiNumber(at: 0, count: 4)!, month: value.asciiNumber(at: 4, count: 2)!,
            day: value.asciiNumber(at: 6, count: 2)!)!
    }
    /// The year of appointment as a candidate civil servant (digits 9–12).
    public var appointmentYear: Int { value.asciiNumber(at: 8, count: 4)! }
    /// The month of appointment, `1...12` (digits 13–14).
    public var appointmentMonth: Int { value.asciiNumber(at: 12, count: 2)! }
    /// The holder's sex (digit 15).
    public var sex: Sex { value.asciiNumber(at: 14, count: 1)! == 2 ? .female : .male }
    /// The serial number (digits 16–18).
    public var serial: String { String(decoding: Array(value.utf8)[15..<18], as: UTF8.self) }

    /// Validates a NIP.
    /// - Parameter string: The number as typed; surrounding white space is ignored. (The spaces
    ///   people write between the groups, `19850312 201001 1 003`, are not accepted: store the
    ///   digits.)
    /// - Throws: ``ValidationError`` (field `"nip"`): ``ValidationError/Code/nipFormat`` unless the
    ///   string is 18 ASCII digits, ``ValidationError/Code/nipBirthDate`` when digits 1–8 are no
    ///   real date from 1900 on, ``ValidationError/Code/nipAppointment`` when the appointment
    ///   month is not `1...12` or falls before the birth month, ``ValidationError/Code/nipSex``
    ///   when digit 15 is not `1` or `2`, ``ValidationError/Code/nipSerial`` when the serial is
    ///   `000`. An appointment in the month of birth is *not* an error.
    public init(_ string: String) throws(ValidationError) {
        let trimmed = string.trimmingWhitespace()
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: "nip", indonesian: indonesian, english: english)
        }
        guard trimmed.isASCIIDigits(count: 18) else {
            throw fail(.nipFormat, "NIP harus terdiri dari 18 angka.", "A NIP is exactly 18 digits.")
        }
        let birthYear = trimmed.asciiNumber(at: 0, count: 4)!
        let birthMonth = trimmed.asciiNumber(at: 4, count: 2)!
        guard birthYear >= Self.earliestYear,
            CalendarDate(year: birthYear, month: birthMonth, day: trimmed.asciiNumber(at: 6, count: 2)!) != nil
        else {
            throw fail(
                .nipBirthDate,
                "Tanggal lahir pada NIP (angka ke-1 sampai ke-8, TTTTBBHH) bukan tanggal yang ada.",
                "The birth date in the NIP (digits 1 to 8, YYYYMMDD) is not a real date.")
        }
        let appointmentYear = trimmed.asciiNumber(at: 8, count: 4)!
        let appointmentMonth = trimmed.asciiNumber(at: 12, count: 2)!
        guard (1...12).contains(appointmentMonth) else {
            throw fail(
                .nipAppointment, "Bulan pengangkatan pada NIP (angka ke-13 dan ke-14) harus 01 sampai 12.",
                "The appointment month in the NIP (digits 13 and 14) must be 01 to 12.")
        }
        guard (appointmentYear, appointmentMonth) >= (birthYear, birthMonth) else {
            throw fail(
                .nipAppointment, "Tanggal pengangkatan pada NIP tidak boleh sebelum tanggal lahir.",
                "The appointment date in the NIP must not be before the birth date.")
        }
        let sexDigit = trimmed.asciiNumber(at: 14, count: 1)!
        guard sexDigit == 1 || sexDigit == 2 else {
            throw fail(
                .nipSex, "Kode jenis kelamin pada NIP (angka ke-15) harus 1 (laki-laki) atau 2 (perempuan).",
                "The sex digit of the NIP (digit 15) must be 1 (male) or 2 (female).")
        }
        guard trimmed.asciiNumber(at: 15, count: 3) != 0 else {
            throw fail(
                .nipSerial, "Nomor urut pada NIP (3 angka terakhir) tidak boleh 000.",
                "The serial number of a NIP (its last 3 digits) must not be 000.")
        }
        self.value = trimmed
    }

    /// Orders numbers by their text.
    public static func < (lhs: NIP, rhs: NIP) -> Bool { lhs.value < rhs.value }

    /// Decodes and re-validates a NIP.
    /// - Parameter decoder: The decoder to read a single string from.
    /// - Throws: `DecodingError.dataCorrupted` with the ``ValidationError`` as underlying error when
    ///   the string is not a valid NIP; any error of the decoder itself.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidated { string throws(ValidationError) in try NIP(string) }
    }

    /// Encodes the NIP as its string value.
    /// - Parameter encoder: The encoder to write a single string to.
    /// - Throws: Only what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
