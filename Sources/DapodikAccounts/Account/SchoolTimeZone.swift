/// One of Indonesia's three time zones. A school lives in one; every time shown to its people
/// (code expiry, delivery times, reports) is given in it.
///
/// Indonesia keeps no daylight-saving time, so each zone is a fixed offset from UTC.
public enum SchoolTimeZone: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waktu Indonesia Barat (western Indonesia: Sumatra, Java, West and Central Kalimantan), UTC+7.
    case wib = "WIB"
    /// Waktu Indonesia Tengah (central: Bali, Nusa Tenggara, Sulawesi, East Kalimantan), UTC+8.
    case wita = "WITA"
    /// Waktu Indonesia Timur (eastern: Maluku, Papua), UTC+9.
    case wit = "WIT"

    /// The offset from UTC, in seconds.
    public var secondsFromUTC: Int {
        switch self {
        case .wib: 7 * 3600
        case .wita: 8 * 3600
        case .wit: 9 * 3600
        }
    }

    /// The abbreviation people write after a time: `WIB`, `WITA` or `WIT`.
    public var abbreviation: String { rawValue }
}
