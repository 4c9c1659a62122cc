#if canImport(FoundationEssentials)
    internal import FoundationEssentials
#else
    internal import Foundation
#endif

/// A wall-clock reading of an instant at a fixed UTC offset, computed arithmetically (proleptic
/// Gregorian calendar), so it never depends on the process's locale, calendar or time-zone
/// database.
struct CivilTime: Equatable {
    var year: Int
    /// 1 = January.
    var month: Int
    var day: Int
    /// 0 = Sunday … 6 = Saturday.
    var weekday: Int
    var hour: Int
    var minute: Int
    var second: Int
    var secondsFromUTC: Int

    /// The instants read exactly: about ±35 million years around 1970 (±2⁵⁰ seconds), far wider than
    /// any date a person reads, and narrow enough that no step of the arithmetic overflows.
    static let readableSeconds: ClosedRange<Double> = -0x1p50...0x1p50

    /// The reading of `date` at `secondsFromUTC`; fractions of a second are dropped (rounded down).
    /// An instant outside ``readableSeconds`` (or not a number) reads as the nearest end of that range
    /// (the epoch for NaN): shown wrong rather than crashing the process (`Int(_:)` of a `Double`
    /// beyond `Int`'s range traps).
    init(_ date: Date, secondsFromUTC: Int) {
        let seconds = date.timeIntervalSince1970
        let readable =
            seconds.isNaN ? 0 : min(max(seconds, Self.readableSeconds.lowerBound), Self.readableSeconds.upperBound)
        let local = Int(readable.rounded(.down)) + secondsFromUTC
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        self.hour = secondOfDay / 3600
        self.minute = secondOfDay % 3600 / 60
        self.second = secondOfDay % 60
        self.secondsFromUTC = secondsFromUTC
        // 1970-01-01 was a Thursday.
        self.weekday = ((days % 7) + 7 + 4) % 7
        // Days to civil date: Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        self.day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        self.month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Appends RFC 5322 §3.3 `date-time` with English day and month names and a numeric zone, such
    /// as `Sun, 29 Nov 2026 10:17:00 +0700`, written digit by digit (no formatter, no locale).
    func appendRFC5322(to out: inout [UInt8]) {
        out.append(contentsOf: Self.englishDayAbbreviations[weekday].utf8)
        out.append(contentsOf: ", ".utf8)
        appendPadded(day, width: 1, to: &out)
        out.append(0x20)
        out.append(contentsOf: Self.englishMonthAbbreviations[month - 1].utf8)
        out.append(0x20)
        appendPadded(year, width: 4, to: &out)
        out.append(0x20)
        appendPadded(hour, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(minute, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(second, width: 2, to: &out)
        out.append(0x20)
        out.append(secondsFromUTC < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let offsetMinutes = abs(secondsFromUTC) / 60
        appendPadded(offsetMinutes / 60, width: 2, to: &out)
        appendPadded(offsetMinutes % 60, width: 2, to: &out)
    }

    private static let englishDayAbbreviations = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let englishMonthAbbreviations = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
}

/// `value` in decimal with leading zeros up to `width` digits: `pad(7)` is `07`. A negative value
/// keeps its sign in front of the digits and the zeros in front of the sign (`pad(-5, 4)` is `00-5`),
/// as dates before the year 0 have always been written here.
func pad(_ value: Int, _ width: Int = 2) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// Appends ``pad(_:_:)`` of `value` and `width` to `out`, digit by digit when `value` is not
/// negative.
func appendPadded(_ value: Int, width: Int, to out: inout some ByteAppending) {
    guard value >= 0 else {
        for byte in pad(value, width).utf8 { out.append(byte) }
        return
    }
    var divisor = 1
    var digitCount = 1
    while divisor <= value / 10 {
        divisor *= 10
        digitCount += 1
    }
    for _ in digitCount..<max(digitCount, width) { out.append(UInt8(ascii: "0")) }
    var rest = value
    while divisor > 0 {
        out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
        rest %= divisor
        divisor /= 10
    }
}

/// Where ``appendPadded(_:width:to:)`` writes: a byte array, or a ``ShortTextWriter``.
protocol ByteAppending {
    mutating func append(_ byte: UInt8)
}

extension [UInt8]: ByteAppending {}
