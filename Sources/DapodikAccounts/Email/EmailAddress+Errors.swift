extension EmailAddress {
    /// The error a person is shown for `problem` (field `"email"`), in Indonesian and English.
    static func error(_ problem: Problem) -> ValidationError {
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: "email", indonesian: indonesian, english: english)
        }
        switch problem {
        case .empty:
            return fail(.emailEmpty, "Alamat email wajib diisi.", "The e-mail address is required.")
        case .controlCharacter:
            return fail(
                .emailControlCharacter, "Alamat email berisi karakter kontrol (CR, LF atau NUL).",
                "The e-mail address contains a control character (CR, LF or NUL).")
        case .whitespace:
            return fail(
                .emailWhitespace, "Alamat email tidak boleh berisi spasi atau karakter kontrol.",
                "The e-mail address must not contain spaces or control characters.")
        case .nonASCII:
            return fail(
                .emailNonASCII,
                "Alamat email hanya boleh berisi huruf Latin tanpa aksen, angka dan tanda baca umum; "
                    + "alamat dengan huruf lain (misalnya é atau ü) belum didukung.",
                "The e-mail address may contain only unaccented Latin letters, digits and common "
                    + "punctuation; addresses with other letters (such as é or ü) are not supported.")
        case .missingAt:
            return fail(
                .emailMissingAt, "Alamat email harus berisi tepat satu tanda @, misalnya nama@gmail.com.",
                "The e-mail address must contain exactly one @, for example name@gmail.com.")
        case .emptyLocalPart:
            return fail(
                .emailEmptyLocalPart, "Bagian sebelum @ tidak boleh kosong.", "The part before the @ must not be empty."
            )
        case .localPartTooLong:
            return fail(
                .emailLocalPartTooLong,
                "Bagian sebelum @ terlalu panjang (maksimal \(maximumLocalPartLength) karakter).",
                "The part before the @ is too long (at most \(maximumLocalPartLength) characters).")
        case .quoted:
            return fail(
                .emailQuoted, "Alamat email tidak boleh berisi tanda kutip atau garis miring terbalik.",
                "The e-mail address must not contain quotes or backslashes.")
        case .invalidCharacter:
            return fail(
                .emailInvalidCharacter, "Bagian sebelum @ berisi karakter yang tidak diperbolehkan.",
                "The part before the @ contains a character that is not allowed.")
        case .leadingHyphen:
            return fail(
                .emailLeadingHyphen, "Alamat email tidak boleh diawali tanda minus (-).",
                "The e-mail address must not start with a hyphen (-).")
        case .dots:
            return fail(
                .emailDots, "Titik tidak boleh di awal, di akhir, atau berurutan (..) sebelum @.",
                "A dot must not be first, last, or doubled (..) before the @.")
        case .emptyDomain:
            return fail(
                .emailEmptyDomain, "Bagian setelah @ (domain) tidak boleh kosong.",
                "The part after the @ (the domain) must not be empty.")
        case .domainTooLong:
            return fail(.emailDomainTooLong, "Domain email terlalu panjang.", "The e-mail domain is too long.")
        case .domainWithoutDot:
            return fail(
                .emailDomainWithoutDot, "Domain email harus berisi titik, misalnya gmail.com.",
                "The e-mail domain must contain a dot, for example gmail.com.")
        case .invalidDomainLabel:
            return fail(
                .emailInvalidDomain,
                "Domain email tidak valid: gunakan huruf, angka dan tanda minus, dipisahkan titik.",
                "The e-mail domain is not valid: use letters, digits and hyphens, separated by dots.")
        case .numericLastLabel:
            return fail(
                .emailInvalidDomain, "Domain email tidak valid: bagian terakhir tidak boleh berupa angka.",
                "The e-mail domain is not valid: its last part must not be a number.")
        case .tooLong:
            return fail(
                .emailTooLong, "Alamat email terlalu panjang (maksimal \(maximumLength) karakter).",
                "The e-mail address is too long (at most \(maximumLength) characters).")
        }
    }
}
