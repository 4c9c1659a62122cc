import DapodikAccounts
import DapodikLanguage
import DapodikMail
import Foundation
import Testing

struct SchoolTimeZoneFormattingTests {
    /// 1 July 2026, 16.59 UTC: 23.59 WIB, 00.59 WITA and 01.59 WIT on 2 July.
    static let instant = Date(timeIntervalSince1970: 1_782_925_140)

    @Test(
        "a time of day reads as people in the zone write it",
        arguments: [
            (SchoolTimeZone.wib, "23.59 WIB", "23:59 WIB (UTC+7)"), (.wita, "00.59 WITA", "00:59 WITA (UTC+8)"),
            (.wit, "01.59 WIT", "01:59 WIT (UTC+9)"),
        ])
    func formattedTime(_ zone: SchoolTimeZone, _ indonesian: String, _ english: String) {
        #expect(zone.formattedTime(Self.instant, language: .indonesian) == indonesian)
        #expect(zone.formattedTime(Self.instant, language: .english) == english)
    }

    @Test("the same two instants fall on one day in WIB and on two days further east")
    func sameDay() {
        let earlier = Self.instant.addingTimeInterval(-3600)
        #expect(SchoolTimeZone.wib.isSameDay(earlier, Self.instant))
        #expect(!SchoolTimeZone.wita.isSameDay(earlier, Self.instant))
        #expect(!SchoolTimeZone.wit.isSameDay(earlier, Self.instant.addingTimeInterval(-7200)))
    }
}
