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
        switch language {
        case .indonesian:
            let days = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"]
            let months = [
                "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
                "November", "Desember",
            ]
            return "\(days[time.weekday]), \(time.day) \(months[time.month - 1]) \(time.year) "
                + "pukul \(pad(time.hour)).\(pad(time.minute)) \(abbreviation)"
        case .english:
            let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
            let months = [
                "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December",
            ]
            return "\(days[time.weekday]), \(time.day) \(months[time.month - 1]) \(time.year) "
                + "at \(pad(time.hour)):\(pad(time.minute)) \(abbreviation) (UTC+\(secondsFromUTC / 3600))"
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
        let time = CivilTime(date, secondsFromUTC: secondsFromUTC)
        switch language {
        case .indonesian:
            return "\(pad(time.hour)).\(pad(time.minute)) \(abbreviation)"
        case .english:
            return "\(pad(time.hour)):\(pad(time.minute)) \(abbreviation) (UTC+\(secondsFromUTC / 3600))"
        }
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
}
