#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Wall-clock times in a school's zone, written the way Indonesians write them: `10.17 WIB`
/// (a dot between hours and minutes, as the KBBI/PUEBI style for times prescribes).
enum SchoolTime {
    /// `HH.mm ZONE`, e.g. `10.17 WIB`.
    static func clock(_ date: Date, in zone: SchoolTimeZone) -> String {
        let (_, _, _, hour, minute) = components(date, zone)
        return two(hour) + "." + two(minute) + " " + zone.abbreviation
    }

    /// `29 November 2026 pukul 10.17 WIB` / `29 November 2026 at 10.17 WIB`.
    static func dateAndClock(_ date: Date, in zone: SchoolTimeZone) -> LocalizedText {
        let (year, month, day, _, _) = components(date, zone)
        let indonesianMonths = [
            "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
            "November", "Desember",
        ]
        let englishMonths = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        let clock = clock(date, in: zone)
        return LocalizedText(
            indonesian: "\(day) \(indonesianMonths[month - 1]) \(year) pukul \(clock)",
            english: "\(day) \(englishMonths[month - 1]) \(year) at \(clock)")
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Civil date and time at a fixed UTC offset (Howard Hinnant's `civil_from_days`).
    private static func components(_ date: Date, _ zone: SchoolTimeZone) -> (Int, Int, Int, Int, Int) {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + zone.secondsFromUTC
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay / 3600, (secondOfDay % 3600) / 60)
    }
}
