/// A day of the proleptic Gregorian calendar, as the identifiers in this module encode it
/// (ISO 8601 calendar date, no time and no time zone).
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, such as `1985`.
    public let year: Int
    /// The month, `1...12`.
    public let month: Int
    /// The day of the month, `1...31`.
    public let day: Int

    /// A date, if it exists in the Gregorian calendar.
    /// - Parameters:
    ///   - year: The year, `1...9999`.
    ///   - month: The month, `1...12`.
    ///   - day: The day of the month.
    /// - Returns: `nil` when there is no such day (30 February, 29 February in a common year,
    ///   31 April, month 13, …).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.numberOfDays(inMonth: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether `year` is a leap year: divisible by 4, except centuries not divisible by 400
    /// (the Gregorian rule; 2000 was a leap year, 1900 was not).
    /// - Parameter year: The year.
    /// - Returns: `true` when February of `year` has 29 days.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month.
    /// - Parameters:
    ///   - month: The month, `1...12`.
    ///   - year: The year, which matters for February only.
    /// - Returns: 28 to 31, or 0 for a month outside `1...12`.
    public static func numberOfDays(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        case 2: isLeapYear(year) ? 29 : 28
        default: 0
        }
    }

    /// The date as ISO 8601 `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Orders dates chronologically.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
