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
    /// symmetric), a value exactly halfway between the two nearest decimals of the shortest length and
    /// anything outside the range return `nil`.
    ///
    /// With `value = mantissa / 2^shift`, its rounding interval is `value ± 2^-(shift+1)`, one unit in
    /// the last place wide. Let `k` be the fewest fraction digits whose step, 10^-k, is below that
    /// width: the nearest decimal with `k` fraction digits always lies inside the interval. With
    /// fewer digits at most one decimal fits inside; if one does, it is also the nearest decimal with
    /// `k - 1` digits (trailing zeros added), so checking that one and dropping its trailing zeros
    /// finds it.
    static func shortest(_ value: Double) -> (significand: UInt64, fractionDigits: Int)? {
        guard value >= 1, value < 0x1p53, value.significandBitPattern != 0 else { return nil }
        let (mantissa, shift) = parts(of: value)
        var digits = 0
        var step: UInt64 = 1
        while step >> shift == 0 {  // 10^digits ≤ 2^shift
            digits += 1
            step *= 10
        }
        if digits > 0, let (significand, inside) = nearest(mantissa, shift, scale: step / 10), inside {
            var (significand, fractionDigits) = (significand, digits - 1)
            while fractionDigits > 0, significand % 10 == 0 {
                significand /= 10
                fractionDigits -= 1
            }
            return (significand, fractionDigits)
        }
        guard let (significand, inside) = nearest(mantissa, shift, scale: step), inside,
            significand % 10 != 0 || digits == 0
        else { return nil }
        return (significand, digits)
    }

    /// The decimal with `scale` (a power of ten) as its unit nearest to `mantissa / 2^shift`, and
    /// whether it lies strictly inside the rounding interval; `nil` when two are equally near.
    private static func nearest(_ mantissa: UInt64, _ shift: Int, scale: UInt64) -> (UInt64, Bool)? {
        // mantissa × scale / 2^shift, exactly: a 117-bit product, a 52-bit shift at most.
        let (high, low) = mantissa.multipliedFullWidth(by: scale)
        guard shift > 0 else { return (low, true) }
        let remainder = low & (1 << shift - 1)
        let half: UInt64 = 1 << (shift - 1)
        guard remainder != half else { return nil }
        let truncated = high << (64 - shift) | low >> shift
        let roundsUp = remainder > half
        // |decimal − value| < 2^-(shift+1), both scaled by scale × 2^shift.
        let distance = roundsUp ? (1 << shift) - remainder : remainder
        return (truncated + (roundsUp ? 1 : 0), distance * 2 < scale)
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
