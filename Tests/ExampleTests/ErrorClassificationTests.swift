import DapodikVerification
import Foundation
import Testing

@testable import dapodik_verify

@Suite("times in messages belong to the school's zone")
struct ErrorClassificationTests {
    /// Monday 24 August 2026, 01:05 UTC: 08.05 WIB, 09.05 WITA, 10.05 WIT.
    static let instant = Date(timeIntervalSince1970: 1_787_533_500)

    @Test("when to try again is given in the logged-in person's school zone", arguments: SchoolTimeZone.allCases)
    func retryInZone(_ zone: SchoolTimeZone) {
        let error = VerificationError(
            .resendNotAllowed, message: LocalizedText(indonesian: "Tunggu.", english: "Wait."), retryAt: Self.instant)
        let message = ErrorClassification.classify(error, zone: zone).message
        #expect(
            message.indonesian.hasSuffix(
                "Coba lagi mulai \(zone.formattedDateTime(Self.instant, language: .indonesian))."))
        #expect(
            message.english.hasSuffix("Try again from \(zone.formattedDateTime(Self.instant, language: .english))."))
    }

    @Test("a time to try again from replaces the message's own 'try again later', in each language")
    func timeReplacesLater() {
        let error = VerificationError(
            .tooManyWrongCodes,
            message: LocalizedText(
                indonesian: "Terlalu banyak kode salah. Coba lagi nanti.",
                english: "Too many wrong codes. Try again later."),
            retryAt: Self.instant)
        let message = ErrorClassification.classify(error, zone: .wib).message
        #expect(message.english.hasPrefix("Too many wrong codes. Try again from "), "\(message.english)")
        #expect(!message.english.contains("later"), "\(message.english)")
        #expect(message.indonesian.hasPrefix("Terlalu banyak kode salah. Coba lagi mulai "), "\(message.indonesian)")
        #expect(!message.indonesian.contains("nanti"), "\(message.indonesian)")
    }

    @Test("before a login the school is unknown, so all three zones are given")
    func retryBeforeLogin() {
        let error = VerificationError(
            .loginThrottled, message: LocalizedText(indonesian: "Terkunci.", english: "Locked."), retryAt: Self.instant)
        let message = ErrorClassification.classify(error).message
        #expect(message.indonesian.hasSuffix("Senin, 24 Agustus 2026 pukul 08.05 WIB / 09.05 WITA / 10.05 WIT."))
        #expect(message.english.contains("08:05 WIB (UTC+7) / 09:05 WITA (UTC+8) / 10:05 WIT (UTC+9)"))
    }

    @Test("a time to try again from is rounded up to the minute: coming back at the time shown is never refused")
    func retryRoundedUp() {
        for (offset, shown) in [(0.0, "08.05"), (0.001, "08.06"), (2, "08.06"), (59.9, "08.06"), (60, "08.06")] {
            let error = VerificationError(
                .resendNotAllowed, message: LocalizedText(indonesian: "Tunggu.", english: "Wait."),
                retryAt: Self.instant.addingTimeInterval(offset))
            let message = ErrorClassification.classify(error, zone: .wib).message
            #expect(message.indonesian.hasSuffix("pukul \(shown) WIB."), "\(offset): \(message.indonesian)")
            let before = ErrorClassification.classify(
                VerificationError(
                    .loginThrottled, message: LocalizedText(indonesian: "Terkunci.", english: "Locked."),
                    retryAt: Self.instant.addingTimeInterval(offset))
            ).message
            #expect(before.indonesian.contains("pukul \(shown) WIB"), "\(offset): \(before.indonesian)")
        }
        // Across the day: 23:59:30 WIB on 24 August is shown as 00.00 on 25 August.
        let late = Date(timeIntervalSince1970: 1_787_590_770)
        #expect(
            SchoolTimeZone.wib.formattedDateTime(notBefore: late, language: .indonesian)
                == "Selasa, 25 Agustus 2026 pukul 00.00 WIB")
        #expect(
            SchoolTimeZone.wib.formattedDateTime(late, language: .indonesian)
                == "Senin, 24 Agustus 2026 pukul 23.59 WIB")
    }

    @Test("the next message due is shown in the zone of its school")
    func nextDueInZone() {
        var summary = DispatchSummary()
        summary.nextDueAt = Self.instant
        summary.nextDueTimeZone = .wit
        let lines = OutboxCommands.lines(summary, Console(language: .indonesian, json: false))
        #expect(lines.last == "Pesan berikutnya jatuh tempo: Senin, 24 Agustus 2026 pukul 10.05 WIT")
    }
}
