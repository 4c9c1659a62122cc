/// A verification code: a short string of decimal digits mailed to a person and typed back.
///
/// The code is a secret. Its `description`, `debugDescription` and reflection show only bullets,
/// so it never reaches a log by accident; the digits are available through ``digits`` for the one
/// place that needs them, the body of the e-mail. Stored challenges hold only keyed digests
/// (see ``CodeKeyRing``), never the code.
public struct VerificationCode: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The code lengths this library supports: at least 6 digits, as NIST SP 800-63B asks of
    /// out-of-band and look-up secrets, and at most 12.
    public static let supportedLengths = 6...12

    /// The default length: 6 digits (NIST SP 800-63B's minimum; Ory Kratos, Supabase and Cognito
    /// use 6).
    public static let defaultLength = 6

    /// The ASCII digits.
    private let asciiDigits: [UInt8]

    /// Wraps digits that are known to be valid.
    init(asciiDigits: [UInt8]) {
        precondition(asciiDigits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        self.asciiDigits = asciiDigits
    }

    /// Reads a code as a person typed or pasted it.
    ///
    /// Lenient where a person is likely to differ harmlessly from the e-mail: surrounding and inner
    /// white space (`"123 456"`, a non-breaking space from a pasted mail) and hyphens (`"123-456"`)
    /// are ignored, and the decimal digits of every script count as the digits they are: full-width
    /// (`"１２３４５６"`, from East Asian input methods), Arabic-Indic (`"١٢٣٤٥٦"`, from an Arabic
    /// keyboard), and the others of Unicode's category Nd. Nothing else is guessed.
    /// - Parameters:
    ///   - input: The text typed by the person.
    ///   - length: How many digits the code must have; ``defaultLength`` unless the policy says
    ///     otherwise (see ``VerificationPolicy/parseCode(_:)``).
    /// - Throws: ``CodeError`` with code ``CodeError/Code/empty`` when nothing was typed,
    ///   ``CodeError/Code/invalidCharacter`` for a letter or other symbol, and
    ///   ``CodeError/Code/wrongLength`` for too few or too many digits. Spaces and hyphens are
    ///   *not* errors.
    public init(parsing input: String, length: Int = VerificationCode.defaultLength) throws(CodeError) {
        var digits: [UInt8] = []
        for scalar in input.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: digits.append(UInt8(scalar.value))
            case 0x2D: continue
            default:
                if scalar.properties.isWhitespace { continue }
                // Any script's decimal digit (Arabic-Indic from an Arabic keyboard, Devanagari, …)
                // is the same digit, as the full-width ones are.
                if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
                    value >= 0, value <= 9
                {
                    digits.append(UInt8(ascii: "0") + UInt8(value))
                    continue
                }
                throw CodeError(
                    .invalidCharacter, indonesian: "Kode verifikasi hanya boleh berisi angka 0–9.",
                    english: "The verification code may contain only the digits 0–9.")
            }
        }
        guard !digits.isEmpty else {
            throw CodeError(
                .empty, indonesian: "Kode verifikasi wajib diisi.", english: "The verification code is required.")
        }
        guard digits.count == length else {
            throw CodeError(
                .wrongLength,
                indonesian: "Kode verifikasi terdiri dari \(length) angka; yang dimasukkan \(digits.count) angka.",
                english: "The verification code has \(length) digits; \(digits.count) were entered.")
        }
        self.asciiDigits = digits
    }

    /// The digits, for the body of the e-mail that carries the code, and nowhere else.
    public var digits: String { String(decoding: asciiDigits, as: UTF8.self) }

    /// The number of digits.
    public var length: Int { asciiDigits.count }

    /// The digits as bytes, for the keyed digest.
    var digitBytes: [UInt8] { asciiDigits }

    /// A masked form, one bullet per digit: the code itself is never printed.
    public var description: String { "VerificationCode(" + String(repeating: "•", count: asciiDigits.count) + ")" }

    /// The same masked form as ``description``.
    public var debugDescription: String { description }

    /// A reflection without children, so `dump(_:)` and debuggers show no digits.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Compares two codes in constant time.
    /// - Parameters:
    ///   - lhs: One code.
    ///   - rhs: The other code.
    /// - Returns: Whether both have the same digits.
    public static func == (lhs: VerificationCode, rhs: VerificationCode) -> Bool {
        CodeDigest.constantTimeEquals(lhs.asciiDigits, rhs.asciiDigits)
    }
}
