/// A school: its national number, its name, and the time zone its people read times in.
public struct School: Sendable, Hashable, Codable, Identifiable {
    /// The school's national number, which identifies it.
    public var npsn: NPSN
    /// The school's name, such as *SD Negeri 1 Wamena*.
    public var name: DisplayName
    /// The time zone the school lives in; times shown to its people are given in it.
    public var timeZone: SchoolTimeZone

    /// The NPSN.
    public var id: NPSN { npsn }

    /// Creates a school from validated parts.
    /// - Parameters:
    ///   - npsn: The school's national number.
    ///   - name: The school's name.
    ///   - timeZone: The school's time zone.
    public init(npsn: NPSN, name: DisplayName, timeZone: SchoolTimeZone) {
        self.npsn = npsn
        self.name = name
        self.timeZone = timeZone
    }
}
