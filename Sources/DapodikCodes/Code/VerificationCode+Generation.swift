internal import DapodikCrypto

extension VerificationCode {
    /// A new, uniformly random code from the system's cryptographically secure generator.
    ///
    /// Every one of the 10^`length` codes is equally likely: a 64-bit draw is rejected when it
    /// falls in the incomplete last stretch of 2^64 (so the remainder carries no modulo bias) and
    /// drawn again, which happens with probability below 10^-7.
    /// - Parameter length: The number of digits, in ``supportedLengths``.
    /// - Returns: The code.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/unsupportedLength`` for a length outside
    ///   ``supportedLengths``.
    public static func random(length: Int = VerificationCode.defaultLength) throws(CodeError) -> VerificationCode {
        var generator = SecureRandomGenerator()
        return try random(length: length, using: &generator)
    }

    /// A uniformly random code from `generator` (the library itself passes only
    /// `SecureRandomGenerator`; tests pass rigged ones).
    static func random(
        length: Int, using generator: inout some RandomNumberGenerator
    ) throws(CodeError) -> VerificationCode {
        guard supportedLengths.contains(length) else {
            throw CodeError(
                .unsupportedLength,
                indonesian: "Panjang kode verifikasi harus \(supportedLengths.lowerBound) sampai "
                    + "\(supportedLengths.upperBound) angka.",
                english: "A verification code must have \(supportedLengths.lowerBound) to "
                    + "\(supportedLengths.upperBound) digits.")
        }
        return uniformlyRandom(length: length, using: &generator)
    }

    /// A uniformly random code of a length already checked against ``supportedLengths``.
    static func uniformlyRandom(length: Int, using generator: inout some RandomNumberGenerator) -> VerificationCode {
        var modulus: UInt64 = 1
        for _ in 0..<length { modulus *= 10 }
        // The largest multiple of `modulus` that fits: draws below it map onto every residue
        // equally often.
        let acceptedBelow = (UInt64.max / modulus) * modulus
        var draw = generator.next()
        while draw >= acceptedBelow { draw = generator.next() }
        var value = draw % modulus
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: length)
        for index in stride(from: length - 1, through: 0, by: -1) {
            digits[index] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
        return VerificationCode(asciiDigits: digits)
    }
}
