/// A national identity number (*Nomor Induk Kependudukan*), 16 digits:
///
/// | digits | meaning |
/// |---|---|
/// | 1–2 | province code |
/// | 3–4 | regency or city code |
/// | 5–6 | district (*kecamatan*) code |
/// | 7–12 | birth date `DDMMYY`; a woman's day has 40 added (`41`…`71`) |
/// | 13–16 | serial number within the district and birth date |
///
/// (Population administration law, UU 24/2013, and Permendagri 72/2019 on the NIK's structure.)
///
/// Validation checks the structure: the region codes and the serial are not all zeros, and the
/// birth date is a real date. The two-digit year does not say its century, so the date is accepted
/// when it exists in `19YY` *or* `20YY`: 29 February with year `00` is accepted (2000 was a leap
/// year); with `01` it is refused (neither 1901 nor 2001 was). Region codes are not checked
/// against the list of regions, which changes as provinces and regencies are created.
public struct NIK: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The 16 digits.
    public let value: String

    /// The number.
    public var description: String { value }

    /// The province code (digits 1–2), such as `32` (West Java).
    public var provinceCode: String { digits(0, 2) }
    /// The regency or city code within the province (digits 3–4).
    public var regencyCode: String { digits(2, 2) }
    /// The district code within the regency (digits 5–6).
    public var districtCode: String { digits(4, 2) }
    /// The serial number (digits 13–16).
    public var serial: String { digits(12, 4) }

    /// The day of birth, `1...31`, with the 40 of a woman's NIK removed.
    public var birthDay: Int {
        let day = value.asciiNumber(at: 6, count: 2)!
        return day > 40 ? day - 40 : day
    }
    /// The month of birth, `1...12`.
    public var birthMonth: Int { value.asciiNumber(at: 8, count: 2)! }
    /// The last two digits of the year of birth, `0...99`; the century is not recorded.
    public var birthYearWithinCentury: Int { value.asciiNumber(at: 10, count: 2)! }
    /// The holder's sex: female when the encoded day is above 40.
    public var sex: Sex { value.asciiNumber(at: 6, count: 2)! > 40 ? .female : .male }

    /// Every real birth date the number can mean: in 19YY, in 20YY, or both, oldest first.
    /// Never empty for a validated NIK.
    public var possibleBirthDates: [CalendarDate] {
        [1900, 2000].compactMap { century in
            CalendarDate(year: century + birthYearWithinCentury, month: birthMonth, day: birthDay)
        }
    }

    /// The birth date, resolving the century as the latest one that is not after `latestYear`.
    ///
    /// Pass the current year to read the NIK of a living person: with `latestYear` 2025, year `05`
    /// reads as 2005 and `85` as 1985.
    /// - Parameter latestYear: The latest year the person can have been born in.
    /// - Returns: The date, or `nil` when no reading of the number falls in or before `latestYear`.
    public func birthDate(notAfter latestYear: Int) -> CalendarDate? {
        possibleBirthDates.last { $0.year <= latestYear }
    }

    /// Validates a NIK.
    /// - Parameter string: The number as typed; surrounding white space is ignored.
    /// - Throws: ``ValidationError`` (field `"nik"`): ``ValidationError/Code/nikFormat`` unless the
    ///   string is 16 ASCII digits, ``ValidationError/Code/nikRegion`` when the province, regency
    ///   or district code is `00`, ``ValidationError/Code/nikBirthDate`` when digits 7–12 are no
    ///   real date (in 19YY nor 20YY, after removing a woman's 40), ``ValidationError/Code/nikSerial``
    ///   when the serial is `0000`. A woman's day (41–71) is *not* an error.
    public init(_ string: String) throws(ValidationError) {
        let trimmed = string.trimmingWhitespace()
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: "nik", indonesian: indonesian, english: english)
        }
        guard trimmed.isASCIIDigits(count: 16) else {
            throw fail(.nikFormat, "NIK harus terdiri dari 16 angka.", "A NIK is exactly 16 digits.")
        }
        for offset in [0, 2, 4] where trimmed.asciiNumber(at: offset, count: 2) == 0 {
            throw fail(
                .nikRegion,
                "Kode provinsi, kabupaten/kota dan kecamatan pada NIK (angka ke-1 sampai ke-6) tidak boleh 00.",
                "The province, regency and district codes of a NIK (digits 1 to 6) must not be 00.")
        }
        let encodedDay = trimmed.asciiNumber(at: 6, count: 2)!
        let day = encodedDay > 40 ? encodedDay - 40 : encodedDay
        let month = trimmed.asciiNumber(at: 8, count: 2)!
        let year = trimmed.asciiNumber(at: 10, count: 2)!
        let isRealDate =
            CalendarDate(year: 1900 + year, month: month, day: day) != nil
            || CalendarDate(year: 2000 + year, month: month, day: day) != nil
        guard (1...31).contains(encodedDay) || (41...71).contains(encodedDay), isRealDate else {
            throw fail(
                .nikBirthDate,
                "Tanggal lahir pada NIK (angka ke-7 sampai ke-12, DDMMYY; perempuan: tanggal + 40) "
                    + "bukan tanggal yang ada.",
                "The birth date in the NIK (digits 7 to 12, DDMMYY; women: day + 40) is not a real date.")
        }
        guard trimmed.asciiNumber(at: 12, count: 4) != 0 else {
            throw fail(
                .nikSerial, "Nomor urut pada NIK (4 angka terakhir) tidak boleh 0000.",
                "The serial number of a NIK (its last 4 digits) must not be 0000.")
        }
        self.value = trimmed
    }

    /// Orders numbers by their text.
    public static func < (lhs: NIK, rhs: NIK) -> Bool { lhs.value < rhs.value }

    /// Decodes and re-validates a NIK.
    /// - Parameter decoder: The decoder to read a single string from.
    /// - Throws: `DecodingError.dataCorrupted` with the ``ValidationError`` as underlying error when
    ///   the string is not a valid NIK; any error of the decoder itself.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidated { string throws(ValidationError) in try NIK(string) }
    }

    /// Encodes the NIK as its string value.
    /// - Parameter encoder: The encoder to write a single string to.
    /// - Throws: Only what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    private func digits(_ offset: Int, _ count: Int) -> String {
        let bytes = Array(value.utf8)[offset..<offset + count]
        return String(decoding: bytes, as: UTF8.self)
    }
}
