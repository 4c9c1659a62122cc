// Dates are stored as seconds since 1970 in JSON, written as Swift's `Double.description` writes them
// (the shortest digits that read back as the same double, the closest of those) and read as
// `Double(String)` reads them (correctly rounded). Both go through a `String`; for the values a stored
// date takes, the two helpers below give the very same results from integers alone, with exact 128-bit
// arithmetic, and say `nil` (take the standard library's path) for anything they do not cover.
// `ExactDecimalTests` compares them with `description` and `Double(String)` on millions of seeded inputs.

/// Exact conversions between a `Double` in [1, 2^53) and a decimal `significand / 10^fractionDigits`.
enum ExactDecimal {
    /// 10^0 through 10^19: every power of ten a `UInt64` holds.
    private static let powersOfTen: [UInt64] = (0...19).map { exponent in
        (0..<exponent).reduce(1) { power, _ in power * 10 }
    }

    /// The decimal `Double.description` writes for `value`, as its digits without the point and the
    /// number of digits after the point (0 for a whole number, which `description` writes with `.0`).
    ///
    /// For every `value` in [1, 2^53) that is not a power of two, the result is the decimal with the
    /// fewest fraction digits whose nearest double is `value` and, of those, the one nearest to `value`:
    /// `description`'s choice (shortest, then closest). A power of two (its rounding interval is not
    /// symmetric), a value exactly halfway between the two nearest decimals of the shortest length,
    /// anything outside the range and anything needing more than 17 significant digits returns `nil`.
    static func shortest(_ value: Double) -> (significand: UInt64, fractionDigits: Int)? {
        guard value >= 1, value < 0x1p53, value.significandBitPattern != 0 else { return nil }
        let (mantissa, shift) = parts(of: value)
        // value = mantissa / 2^shift exactly; at each scale, the nearest decimal is the candidate.
        for fractionDigits in 0...17 {
            let scaled = UInt128(mantissa) * UInt128(powersOfTen[fractionDigits])
            let remainder = scaled & ((1 << shift) - 1)
            let roundsUp = shift > 0 && remainder >= 1 << (shift - 1)
            let significand = (scaled >> shift) + (roundsUp ? 1 : 0)
            let distance = roundsUp ? (1 << shift) - remainder : remainder
            // Shortest output never needs more than 17 significant digits (IEEE 754 binary64).
            guard significand < 100_000_000_000_000_000 else { return nil }
            // |significand / 10^k − value| < half a unit in the last place, scaled by 10^k · 2^shift.
            if distance * 2 < UInt128(powersOfTen[fractionDigits]) {
                // Exactly halfway between two decimals of this length, both of which read back as
                // `value`: which one `description` picks is its own rule, so leave it to `description`.
                guard shift == 0 || remainder != 1 << (shift - 1) else { return nil }
                return (UInt64(significand), fractionDigits)
            }
        }
        return nil
    }

    /// The double `Double(String)` reads for the decimal `significand / 10^fractionDigits`, when that
    /// double is in [1, 2^53) and the decimal lies strictly inside its rounding interval (so no tie
    /// rule decides); `nil` otherwise.
    static func double(significand: UInt64, fractionDigits: Int) -> Double? {
        guard fractionDigits < powersOfTen.count else { return nil }
        // Within an ulp or two of the correctly rounded value: 10^k ≤ 10^19 is exact in a double.
        let estimate = Double(significand) / Double(powersOfTen[fractionDigits])
        if isNearest(significand, fractionDigits, to: estimate) { return estimate }
        if isNearest(significand, fractionDigits, to: estimate.nextUp) { return estimate.nextUp }
        if isNearest(significand, fractionDigits, to: estimate.nextDown) { return estimate.nextDown }
        return nil
    }

    /// Whether `significand / 10^fractionDigits` lies strictly inside `value`'s rounding interval.
    private static func isNearest(_ significand: UInt64, _ fractionDigits: Int, to value: Double) -> Bool {
        guard value >= 1, value < 0x1p53 else { return false }
        let (mantissa, shift) = parts(of: value)
        let power = UInt128(powersOfTen[fractionDigits])
        let exact = UInt128(mantissa) * power
        let decimal = UInt128(significand) << shift
        let below = decimal < exact
        let distance = below ? exact - decimal : decimal - exact
        // Below a power of two the next double down is half as far away.
        let halfGaps: UInt128 = below && value.significandBitPattern == 0 ? 4 : 2
        return distance * halfGaps < power
    }

    /// `value` as `mantissa / 2^shift` (53-bit mantissa, shift 0...52), for a normal `value` in [1, 2^53).
    private static func parts(of value: Double) -> (mantissa: UInt64, shift: Int) {
        (value.significandBitPattern | 1 << 52, 52 - Int(value.exponent))
    }
}
