public import DapodikAccounts
public import DapodikLanguage

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension SchoolTimeZone {
    /// An instant as people in this zone read it, with the date, the time and the zone, such as
    /// `Minggu, 29 November 2026 pukul 10.17 WIB` or `Sunday, 29 November 2026 at 10:17 WIB (UTC+7)`.
    ///
    /// Indonesian separates hours and minutes with a dot (Pedoman Umum Ejaan Bahasa Indonesia,
    /// the use of the full stop in times). Seconds are dropped, not rounded, so an expiry is never
    /// shown later than it is. Day and month names are fixed here, not taken from the system's
    /// locale data, so the text is the same on every machine.
    /// - Parameters:
    ///   - date: The instant.
    ///   - language: The language of the day and month names.
    /// - Returns: The formatted date and time in this zone.
    public func formattedDateTime(_ date: Date, language: Language) -> String {
        let time = CivilTime(date, secondsFromUTC: secondsFromUTC)
        // The longest: a day and a month of 9 letters, a year of up to 20 characters, the clock's 19.
        return String(unsafeUninitializedCapacity: 96) { buffer in
            var out = ShortTextWriter(buffer)
            let (days, months) =
                language == .indonesian
                ? (Self.indonesianDays, Self.indonesianMonths) : (Self.englishDays, Self.englishMonths)
            out.append(days[time.weekday])
            out.append(", ")
            out.appendPadded(time.day, width: 1)
            out.append(0x20)
            out.append(months[time.month - 1])
            out.append(0x20)
            out.appendPadded(time.year, width: 1)
            out.append(language == .indonesian ? " pukul " : " at ")
            appendClock(time, language: language, to: &out)
            return out.count
        }
    }

    /// The time of day of an instant as people in this zone read it, with the zone, such as
    /// `10.17 WIB` or `10:17 WIB (UTC+7)`: the same clock ``formattedDateTime(_:language:)`` writes,
    /// without the date, for a time that falls on the day the reader is looking at it.
    /// - Parameters:
    ///   - date: The instant.
    ///   - language: The language (Indonesian separates hours and minutes with a dot).
    /// - Returns: The formatted time in this zone.
    public func formattedTime(_ date: Date, language: Language) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            var out = ShortTextWriter(buffer)
            appendClock(CivilTime(date, secondsFromUTC: secondsFromUTC), language: language, to: &out)
            return out.count
        }
    }

    /// ``formattedDateTime(_:language:)`` of a time before which something is refused ("try again
    /// from"): rounded up to the whole minute, where an expiry's seconds are dropped. A time shown
    /// without its seconds and rounded down would be refused when the person comes back at it.
    /// - Parameters:
    ///   - date: The first instant at which the thing is accepted.
    ///   - language: The language of the day and month names.
    /// - Returns: The formatted date and time in this zone, never earlier than `date`.
    public func formattedDateTime(notBefore date: Date, language: Language) -> String {
        formattedDateTime(Self.wholeMinute(notBefore: date), language: language)
    }

    /// ``formattedTime(_:language:)`` of a time before which something is refused, rounded up to the
    /// whole minute as ``formattedDateTime(notBefore:language:)`` does.
    /// - Parameters:
    ///   - date: The first instant at which the thing is accepted.
    ///   - language: The language.
    /// - Returns: The formatted time in this zone, never earlier than `date`.
    public func formattedTime(notBefore date: Date, language: Language) -> String {
        formattedTime(Self.wholeMinute(notBefore: date), language: language)
    }

    /// `date` itself when it is a whole minute, else the next whole minute. Every zone is a whole
    /// number of hours from UTC, so a whole minute is one on every clock.
    /// - Parameter date: The instant.
    /// - Returns: The earliest whole minute not before `date`.
    public static func wholeMinute(notBefore date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.up) * 60)
    }

    /// Whether two instants fall on the same calendar day in this zone.
    /// - Parameters:
    ///   - first: One instant.
    ///   - second: The other.
    /// - Returns: `true` when their dates in this zone are equal.
    public func isSameDay(_ first: Date, _ second: Date) -> Bool {
        let a = CivilTime(first, secondsFromUTC: secondsFromUTC)
        let b = CivilTime(second, secondsFromUTC: secondsFromUTC)
        return (a.year, a.month, a.day) == (b.year, b.month, b.day)
    }

    /// Appends `10.17 WIB` (Indonesian) or `10:17 WIB (UTC+7)` (English).
    private func appendClock(_ time: CivilTime, language: Language, to out: inout ShortTextWriter) {
        out.appendPadded(time.hour, width: 2)
        out.append(language == .indonesian ? UInt8(ascii: ".") : UInt8(ascii: ":"))
        out.appendPadded(time.minute, width: 2)
        out.append(0x20)
        out.append(abbreviation)
        if language == .english {
            out.append(" (UTC+")
            out.appendPadded(secondsFromUTC / 3600, width: 1)
            out.append(UInt8(ascii: ")"))
        }
    }

    private static let indonesianDays = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"]
    private static let indonesianMonths = [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
        "November", "Desember",
    ]
    private static let englishDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
}
