import DapodikVerification

/// Reads comma-separated values as RFC 4180 defines them, plus what real exports add.
///
/// RFC 4180 §2: records end with CRLF (LF alone and CR alone are accepted too, as spreadsheets on
/// every platform write them, but not mixed: in a file whose first line ends with LF or CRLF, a CR
/// alone is a stray character, not a line end, and is refused rather than splitting a row in two);
/// a field may be enclosed in double quotes, and must be when it holds
/// the separator, a quote or a line break; a quote inside a quoted field is written twice (`""`).
/// Beyond the RFC: a UTF-8 byte order mark at the start is skipped (Excel writes one), the separator
/// may be `;` (Excel with an Indonesian locale writes `;`, because `,` is the decimal separator
/// there), and a line that is entirely empty is skipped rather than read as a record of one empty
/// field.
struct CSVReader: Sendable {
    /// One record with the line number (1-based) on which it starts, for error messages.
    struct Record: Sendable, Equatable {
        let line: Int
        let fields: [String]
    }

    /// Why a file is not valid CSV.
    struct Failure: Error, Sendable, Equatable {
        /// The line (1-based) where the problem is.
        let line: Int
        let message: LocalizedText
    }

    let separator: Character

    /// A reader for the given separator (`,` by default).
    init(separator: Character = ",") { self.separator = separator }

    /// The separator a file most likely uses: `;` when its first line has semicolons outside quotes
    /// and no commas, `,` otherwise.
    static func detectSeparator(in text: String) -> Character {
        var commas = 0
        var semicolons = 0
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if quoted { continue }
            if character == "\n" || character == "\r" || character == "\r\n" { break }
            if character == "," { commas += 1 }
            if character == ";" { semicolons += 1 }
        }
        return semicolons > 0 && commas == 0 ? ";" : ","
    }

    /// Whether the first line break of `text` outside quotes is a CR alone (a file from a system
    /// that ends lines so), which makes every CR alone a line end.
    static func endsLinesWithCRAlone(_ text: String) -> Bool {
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar == "\"" { quoted.toggle() }
            if quoted { continue }
            if scalar == "\n" { return false }
            if scalar == "\r" { return scalars.next() != "\n" }
        }
        return false
    }

    /// Decodes bytes as UTF-8, skipping a byte order mark.
    /// - Throws: ``Failure`` on line 1 when the bytes are not valid UTF-8.
    static func decode(_ bytes: [UInt8]) throws(Failure) -> String {
        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(
                line: firstInvalidLine(in: bytes),
                message: LocalizedText(
                    indonesian: "Berkas bukan teks UTF-8. Simpan ulang sebagai \"CSV UTF-8\".",
                    english: "The file is not UTF-8 text. Save it again as \"CSV UTF-8\"."))
        }
        return text
    }

    /// The line holding the first byte that is not UTF-8: one more than the line feeds before it.
    private static func firstInvalidLine(in bytes: ArraySlice<UInt8>) -> Int {
        var line = 1
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) {
            if scalar.count == 1 && scalar.first == UInt8(ascii: "\n") { line += 1 }
        }
        return line
    }

    /// Splits a text into records.
    /// - Parameter text: The whole file as text (a leading byte order mark is skipped).
    /// - Returns: Every non-empty record with the line it starts on.
    /// - Throws: ``Failure`` for a quote that is never closed, or a quote inside an unquoted field or
    ///   right after a closing quote (RFC 4180 §2 rules 5–7). Fields of different counts are *not* an
    ///   error here: the caller checks them against the header and reports the row.
    func records(in text: String) throws(Failure) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var afterClosingQuote = false
        var quoteStartLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        let separatorScalar = separator.unicodeScalars.first!
        let crAloneEndsLines = Self.endsLinesWithCRAlone(text)

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
            afterClosingQuote = false
        }

        var first = true
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if first, scalar == "\u{FEFF}" {
                first = false
                continue
            }
            first = false
            if inQuotes {
                if scalar == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            inQuotes = false
                            afterClosingQuote = true
                            pending = next
                        }
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                    if scalar == "\n" {
                        line += 1
                    } else if scalar == "\r" {
                        line += 1
                        if let next = iterator.next() {
                            if next == "\n" { field.unicodeScalars.append(next) } else { pending = next }
                        }
                    }
                }
                continue
            }
            switch scalar {
            case separatorScalar:
                fields.append(field)
                field = ""
                fieldWasQuoted = false
                afterClosingQuote = false
            case "\r", "\n":
                if scalar == "\r", let next = iterator.next(), next != "\n" {
                    guard crAloneEndsLines else {
                        throw Failure(
                            line: line,
                            message: LocalizedText(
                                indonesian: "Ada karakter CR (U+000D) sendirian di tengah baris, padahal baris berkas "
                                    + "ini diakhiri LF atau CRLF: hapus karakter itu.",
                                english: "A CR (U+000D) on its own in the middle of the line, in a file whose lines "
                                    + "end with LF or CRLF: remove it."))
                    }
                    pending = next
                }
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                if afterClosingQuote || !field.isEmpty {
                    throw Failure(
                        line: line,
                        message: LocalizedText(
                            indonesian: "Tanda kutip (\") di tengah kolom: kolom yang berisi tanda kutip harus diapit "
                                + "tanda kutip, dan tanda kutip di dalamnya ditulis dua kali (\"\").",
                            english: "A quote (\") in the middle of a field: a field containing quotes must be "
                                + "enclosed in quotes, with each quote inside written twice (\"\")."))
                }
                inQuotes = true
                fieldWasQuoted = true
                quoteStartLine = line
            default:
                if afterClosingQuote {
                    throw Failure(
                        line: line,
                        message: LocalizedText(
                            indonesian: "Ada teks setelah tanda kutip penutup; pisahkan kolom dengan '\(separator)'.",
                            english: "Text after a closing quote; separate fields with '\(separator)'."))
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw Failure(
                line: quoteStartLine,
                message: LocalizedText(
                    indonesian: "Tanda kutip yang dibuka di baris \(quoteStartLine) tidak pernah ditutup.",
                    english: "The quote opened on line \(quoteStartLine) is never closed."))
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}
