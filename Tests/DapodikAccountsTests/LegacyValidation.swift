import DapodikAccounts

// The validating initializers as they were before issue 15 made them fast (main at e21e494), kept
// here, and only here, as the oracle of `ValidationEquivalenceTests`: each `init` body is the old
// one verbatim, over the old helpers (`legacyTrimmingWhitespace`, `legacyASCIINumber`,
// `legacyIsASCIIDigits`), so the new code must accept the same strings, to the same values, and
// refuse the others with the same error.

struct LegacyEmailAddress: Equatable {
    let localPart: String
    let domain: String

    static let maximumLocalPartLength = 64
    static let maximumDomainLength = 253
    static let maximumLength = 254

    init(_ string: String) throws(ValidationError) {
        let trimmed = string.legacyTrimmingWhitespace()
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: "email", indonesian: indonesian, english: english)
        }
        guard !trimmed.isEmpty else {
            throw fail(.emailEmpty, "Alamat email wajib diisi.", "The e-mail address is required.")
        }
        for scalar in trimmed.unicodeScalars {
            if scalar.value == 0 || scalar == "\r" || scalar == "\n" {
                throw fail(
                    .emailControlCharacter, "Alamat email berisi karakter kontrol (CR, LF atau NUL).",
                    "The e-mail address contains a control character (CR, LF or NUL).")
            }
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar.properties.isWhitespace {
                throw fail(
                    .emailWhitespace, "Alamat email tidak boleh berisi spasi atau karakter kontrol.",
                    "The e-mail address must not contain spaces or control characters.")
            }
            if !scalar.isASCII {
                throw fail(
                    .emailNonASCII,
                    "Alamat email hanya boleh berisi huruf Latin tanpa aksen, angka dan tanda baca umum; "
                        + "alamat dengan huruf lain (misalnya é atau ü) belum didukung.",
                    "The e-mail address may contain only unaccented Latin letters, digits and common "
                        + "punctuation; addresses with other letters (such as é or ü) are not supported.")
            }
        }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw fail(
                .emailMissingAt, "Alamat email harus berisi tepat satu tanda @, misalnya nama@gmail.com.",
                "The e-mail address must contain exactly one @, for example name@gmail.com.")
        }
        let local = String(parts[0])
        let domain = String(parts[1]).lowercased()
        try Self.validateLocalPart(local, fail: fail)
        try Self.validateDomain(domain, fail: fail)
        guard trimmed.utf8.count <= Self.maximumLength else {
            throw fail(
                .emailTooLong, "Alamat email terlalu panjang (maksimal \(Self.maximumLength) karakter).",
                "The e-mail address is too long (at most \(Self.maximumLength) characters).")
        }
        self.localPart = local
        self.domain = domain
    }

    private static let localCharacters: Set<UInt8> = {
        var set = Set<UInt8>()
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { set.insert(byte) }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { set.insert(byte) }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { set.insert(byte) }
        for character in "!#$%&'*+-/=?^_`{|}~." { set.insert(character.asciiValue!) }
        return set
    }()

    private static func validateLocalPart(
        _ local: String, fail: (ValidationError.Code, String, String) -> ValidationError
    ) throws(ValidationError) {
        guard !local.isEmpty else {
            throw fail(
                .emailEmptyLocalPart, "Bagian sebelum @ tidak boleh kosong.", "The part before the @ must not be empty."
            )
        }
        guard local.utf8.count <= maximumLocalPartLength else {
            throw fail(
                .emailLocalPartTooLong,
                "Bagian sebelum @ terlalu panjang (maksimal \(maximumLocalPartLength) karakter).",
                "The part before the @ is too long (at most \(maximumLocalPartLength) characters).")
        }
        if local.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            throw fail(
                .emailQuoted, "Alamat email tidak boleh berisi tanda kutip atau garis miring terbalik.",
                "The e-mail address must not contain quotes or backslashes.")
        }
        guard local.utf8.allSatisfy({ localCharacters.contains($0) }) else {
            throw fail(
                .emailInvalidCharacter, "Bagian sebelum @ berisi karakter yang tidak diperbolehkan.",
                "The part before the @ contains a character that is not allowed.")
        }
        if local.hasPrefix("-") {
            throw fail(
                .emailLeadingHyphen, "Alamat email tidak boleh diawali tanda minus (-).",
                "The e-mail address must not start with a hyphen (-).")
        }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") {
            throw fail(
                .emailDots, "Titik tidak boleh di awal, di akhir, atau berurutan (..) sebelum @.",
                "A dot must not be first, last, or doubled (..) before the @.")
        }
    }

    private static func validateDomain(
        _ domain: String, fail: (ValidationError.Code, String, String) -> ValidationError
    ) throws(ValidationError) {
        guard !domain.isEmpty else {
            throw fail(
                .emailEmptyDomain, "Bagian setelah @ (domain) tidak boleh kosong.",
                "The part after the @ (the domain) must not be empty.")
        }
        guard domain.utf8.count <= maximumDomainLength else {
            throw fail(
                .emailDomainTooLong, "Domain email terlalu panjang.", "The e-mail domain is too long.")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else {
            throw fail(
                .emailDomainWithoutDot, "Domain email harus berisi titik, misalnya gmail.com.",
                "The e-mail domain must contain a dot, for example gmail.com.")
        }
        for label in labels {
            let bytes = Array(label.utf8)
            let valid =
                !bytes.isEmpty && bytes.count <= 63
                && bytes.allSatisfy { byte in
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                }
                && bytes.first != UInt8(ascii: "-") && bytes.last != UInt8(ascii: "-")
            guard valid else {
                throw fail(
                    .emailInvalidDomain,
                    "Domain email tidak valid: gunakan huruf, angka dan tanda minus, dipisahkan titik.",
                    "The e-mail domain is not valid: use letters, digits and hyphens, separated by dots.")
            }
        }
        if let last = labels.last, last.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            throw fail(
                .emailInvalidDomain, "Domain email tidak valid: bagian terakhir tidak boleh berupa angka.",
                "The e-mail domain is not valid: its last part must not be a number.")
        }
    }
}

struct LegacyDisplayName: Equatable {
    static let maximumLength = 150
    let value: String

    init(_ string: String, field: String = "name") throws(ValidationError) {
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: field, indonesian: indonesian, english: english)
        }
        if let forbidden = string.unicodeScalars.first(where: Self.isForbidden) {
            let name = Self.codePoint(forbidden)
            throw fail(
                .nameControlCharacter, "Nama tidak boleh berisi karakter kontrol (\(name)).",
                "A name must not contain control characters (\(name)).")
        }
        let collapsed = string.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !collapsed.isEmpty else {
            throw fail(.nameEmpty, "Nama wajib diisi.", "The name is required.")
        }
        guard collapsed.count <= Self.maximumLength else {
            throw fail(
                .nameTooLong, "Nama terlalu panjang (maksimal \(Self.maximumLength) karakter).",
                "The name is too long (at most \(Self.maximumLength) characters).")
        }
        self.value = collapsed
    }

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return scalar.properties.isBidiControl
        }
    }

    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

struct LegacyUsername: Equatable {
    static let minimumLength = 3
    static let maximumLength = 254
    let value: String

    init(_ string: String) throws(ValidationError) {
        let normalized = string.legacyTrimmingWhitespace().lowercased()
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: "username", indonesian: indonesian, english: english)
        }
        let bytes = Array(normalized.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard bytes.allSatisfy({ isAlphanumeric($0) || Array("._-+@".utf8).contains($0) }) else {
            throw fail(
                .usernameCharacter,
                "Nama pengguna hanya boleh berisi huruf, angka, dan tanda . _ - + @ (tanpa spasi).",
                "A username may contain only letters, digits and . _ - + @ (no spaces).")
        }
        guard (Self.minimumLength...Self.maximumLength).contains(bytes.count) else {
            throw fail(
                .usernameLength,
                "Nama pengguna harus \(Self.minimumLength) sampai \(Self.maximumLength) karakter.",
                "A username must be \(Self.minimumLength) to \(Self.maximumLength) characters long.")
        }
        guard isAlphanumeric(bytes.first!), isAlphanumeric(bytes.last!) else {
            throw fail(
                .usernameEdge, "Nama pengguna harus diawali dan diakhiri huruf atau angka.",
                "A username must start and end with a letter or a digit.")
        }
        self.value = normalized
    }
}

struct LegacyNPSN: Equatable {
    let value: String

    init(_ string: String) throws(ValidationError) {
        let trimmed = string.legacyTrimmingWhitespace()
        var normalized = trimmed
        if let first = trimmed.first, first == "p" || first == "k" {
            normalized = first.uppercased() + trimmed.dropFirst()
        }
        let isValid =
            normalized.legacyIsASCIIDigits(count: 8) || normalized.legacyIsASCIIDigits(count: 6)
            || ((normalized.first == "P" || normalized.first == "K")
                && String(normalized.dropFirst()).legacyIsASCIIDigits(count: 7))
        guard isValid else {
            throw ValidationError(
                .npsnFormat, field: "npsn",
                indonesian: "NPSN harus 8 angka (sekolah), P atau K diikuti 7 angka (PKBM/SKB atau LKP), "
                    + "atau 6 angka (perguruan tinggi).",
                english: "An NPSN is 8 digits (school), P or K followed by 7 digits (PKBM/SKB or LKP), "
                    + "or 6 digits (university).")
        }
        self.value = normalized
    }
}

struct LegacyNUPTK: Equatable {
    let value: String

    init(_ string: String) throws(ValidationError) {
        let trimmed = string.legacyTrimmingWhitespace()
        guard trimmed.legacyIsASCIIDigits(count: 16) else {
            throw ValidationError(
                .nuptkFormat, field: "nuptk", indonesian: "NUPTK harus terdiri dari 16 angka.",
                english: "A NUPTK is exactly 16 digits.")
        }
        self.value = trimmed
    }
}

struct LegacyNIK: Equatable {
    let value: String

    init(_ string: String) throws(ValidationError) {
        let trimmed = string.legacyTrimmingWhitespace()
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: "nik", indonesian: indonesian, english: english)
        }
        guard trimmed.legacyIsASCIIDigits(count: 16) else {
            throw fail(.nikFormat, "NIK harus terdiri dari 16 angka.", "A NIK is exactly 16 digits.")
        }
        for offset in [0, 2, 4] where trimmed.legacyASCIINumber(at: offset, count: 2) == 0 {
            throw fail(
                .nikRegion,
                "Kode provinsi, kabupaten/kota dan kecamatan pada NIK (angka ke-1 sampai ke-6) tidak boleh 00.",
                "The province, regency and district codes of a NIK (digits 1 to 6) must not be 00.")
        }
        let encodedDay = trimmed.legacyASCIINumber(at: 6, count: 2)!
        let day = encodedDay > 40 ? encodedDay - 40 : encodedDay
        let month = trimmed.legacyASCIINumber(at: 8, count: 2)!
        let year = trimmed.legacyASCIINumber(at: 10, count: 2)!
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
        guard trimmed.legacyASCIINumber(at: 12, count: 4) != 0 else {
            throw fail(
                .nikSerial, "Nomor urut pada NIK (4 angka terakhir) tidak boleh 0000.",
                "The serial number of a NIK (its last 4 digits) must not be 0000.")
        }
        self.value = trimmed
    }
}

struct LegacyNIP: Equatable {
    static let earliestYear = 1900
    let value: String

    init(_ string: String) throws(ValidationError) {
        let trimmed = string.legacyTrimmingWhitespace()
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: "nip", indonesian: indonesian, english: english)
        }
        guard trimmed.legacyIsASCIIDigits(count: 18) else {
            throw fail(.nipFormat, "NIP harus terdiri dari 18 angka.", "A NIP is exactly 18 digits.")
        }
        let birthYear = trimmed.legacyASCIINumber(at: 0, count: 4)!
        let birthMonth = trimmed.legacyASCIINumber(at: 4, count: 2)!
        guard birthYear >= Self.earliestYear,
            CalendarDate(year: birthYear, month: birthMonth, day: trimmed.legacyASCIINumber(at: 6, count: 2)!) != nil
        else {
            throw fail(
                .nipBirthDate,
                "Tanggal lahir pada NIP (angka ke-1 sampai ke-8, TTTTBBHH) bukan tanggal yang ada.",
                "The birth date in the NIP (digits 1 to 8, YYYYMMDD) is not a real date.")
        }
        let appointmentYear = trimmed.legacyASCIINumber(at: 8, count: 4)!
        let appointmentMonth = trimmed.legacyASCIINumber(at: 12, count: 2)!
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
        let sexDigit = trimmed.legacyASCIINumber(at: 14, count: 1)!
        guard sexDigit == 1 || sexDigit == 2 else {
            throw fail(
                .nipSex, "Kode jenis kelamin pada NIP (angka ke-15) harus 1 (laki-laki) atau 2 (perempuan).",
                "The sex digit of the NIP (digit 15) must be 1 (male) or 2 (female).")
        }
        guard trimmed.legacyASCIINumber(at: 15, count: 3) != 0 else {
            throw fail(
                .nipSerial, "Nomor urut pada NIP (3 angka terakhir) tidak boleh 000.",
                "The serial number of a NIP (its last 3 digits) must not be 000.")
        }
        self.value = trimmed
    }
}

extension String {
    func legacyTrimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }

    func legacyASCIINumber(at offset: Int, count: Int) -> Int? {
        let bytes = Array(utf8)
        guard offset >= 0, count > 0, offset + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[offset..<offset + count] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    func legacyIsASCIIDigits(count: Int) -> Bool {
        utf8.count == count && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
