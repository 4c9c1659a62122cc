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
        var out: [UInt8] = []
        out.reserveCapacity(48)
        let (days, months) =
            language == .indonesian
            ? (Self.indonesianDays, Self.indonesianMonths) : (Self.englishDays, Self.englishMonths)
        out.append(contentsOf: days[time.weekday].utf8)
        out.append(contentsOf: ", ".utf8)
        appendPadded(time.day, width: 1, to: &out)
        out.append(0x20)
        out.append(contentsOf: months[time.month - 1].utf8)
        out.append(0x20)
        appendPadded(time.year, width: 1, to: &out)
        out.append(contentsOf: language == .indonesian ? " pukul ".utf8 : " at ".utf8)
        appendClock(time, language: language, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The time of day of an instant as people in this zone read it, with the zone, such as
    /// `10.17 WIB` or `10:17 WIB (UTC+7)`: the same clock ``formattedDateTime(_:language:)`` writes,
    /// without the date, for a time that falls on the day the reader is looking at it.
    /// - Parameters:
    ///   - date: The instant.
    ///   - language: The language (Indonesian separates hours and minutes with a dot).
    /// - Returns: The formatted time in this zone.
    public func formattedTime(_ date: Date, language: Language) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(20)
        appendClock(CivilTime(date, secondsFromUTC: secondsFromUTC), language: language, to: &out)
        return String(decoding: out, as: UTF8.self)
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
    private func appendClock(_ time: CivilTime, language: Language, to out: inout [UInt8]) {
        appendPadded(time.hour, width: 2, to: &out)
        out.append(language == .indonesian ? UInt8(ascii: ".") : UInt8(ascii: ":"))
        appendPadded(time.minute, width: 2, to: &out)
        out.append(0x20)
        out.append(contentsOf: abbreviation.utf8)
        if language == .english {
            out.append(contentsOf: " (UTC+".utf8)
            appendPadded(secondsFromUTC / 3600, width: 1, to: &out)
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
