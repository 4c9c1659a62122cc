import DapodikVerification
import Testing

@testable import dapodik_verify

/// What `outbox run` writes while it waits out a store out of reach: the store's words may repeat a
/// path (the data directory's `LOCK`, a database's host) holding control characters, which are shown
/// escaped there as in every other message, so they cannot drive the terminal or fake a line.
@Suite("dapodik-verify outbox run's retry notice")
struct OutboxRetryNoticeTests {
    @Test("a store error repeating a path with LF and ESC is written escaped, in one line, in both languages")
    func escapesControlCharacters() {
        let error = VerificationError(
            .busy,
            message: LocalizedText(
                indonesian: "Kunci /srv/a\nb\u{1B}[2Jc/store/LOCK sedang dipegang.",
                english: "The lock /srv/a\nb\u{1B}[2Jc/store/LOCK is held."))
        for (language, words) in [
            (Language.english, "Trying again in 5 s."), (.indonesian, "Dicoba lagi dalam 5 detik."),
        ] {
            let notice = OutboxCommands.Run.retryNotice(error, pause: .seconds(5), language: language)
            #expect(notice.contains(#"/srv/a\nb\u{1B}[2Jc/store/LOCK"#), "\(notice.debugDescription)")
            #expect(notice.hasSuffix(words), "\(notice)")
            #expect(
                !notice.unicodeScalars.contains { $0.properties.generalCategory == .control },
                "\(notice.debugDescription)")
        }
    }
}
