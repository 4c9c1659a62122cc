import DapodikVerification
import Foundation

/// `feed`: the sync feed and audit trail, after a cursor.
enum FeedCommand {
    /// The JSON form of one event.
    struct EventJSON: Encodable {
        let cursor: String
        let time: Date
        let kind: String
        let actor: String?
        let account: String?
        let school: String?
        let email: String?
        let detail: String?
    }

    /// The JSON output: the events and the cursor to pass as `--after` next time.
    struct FeedJSON: Encodable {
        let events: [EventJSON]
        let next: String
    }

    /// A cursor as written on the command line: `<sequence>.<ordinal>`, or `0` for the start.
    static func cursor(_ text: String) throws(CLIError) -> EventCursor {
        if text == "0" { return .start }
        let parts = text.split(separator: ".")
        guard parts.count == 2, let sequence = UInt64(parts[0]), let ordinal = Int(parts[1]), ordinal >= 0 else {
            throw CLIError.invalidValue(
                indonesian: "Kursor harus berbentuk <urutan>.<nomor>, misalnya 42.0, atau 0.",
                english: "A cursor is written <sequence>.<ordinal>, such as 42.0, or 0.")
        }
        return EventCursor(sequence: sequence, ordinal: ordinal)
    }

    static func cursorText(_ cursor: EventCursor) -> String { "\(cursor.sequence).\(cursor.ordinal)" }

    static let after = Option(
        "after", "cursor", "Kursor: hanya peristiwa setelahnya (bawaan 0).", "Cursor: only events after it (default 0)."
    ) { text, _ throws(CLIError) in try cursor(text) }
    static let limit = Option(
        "limit", "n", "Paling banyak n peristiwa (bawaan 100).", "At most n events (default 100).",
        convert: Inputs.wholeNumber(in: 1...10_000))

    static let command = Command(
        "feed",
        summary: text(
            "feed sinkron: peristiwa berurutan setelah sebuah kursor (juga jejak audit).",
            "the sync feed: ordered events after a cursor (also the audit trail)."),
        discussion: text(
            """
            Pihak Dapodik menarik peristiwa setelah kursor terakhir yang diprosesnya dan melihat email menjadi
            terverifikasi (emailVerified). Simpan 'next' dari keluaran sebagai --after berikutnya.
            Tanpa --json: satu peristiwa per baris, lima kolom dipisah tab (kursor, waktu, jenis, email,
            keterangan; kosong bila tidak ada), lalu baris kursor berikutnya. Jenis dan keterangan adalah
            nilai teknis yang tetap (dalam bahasa Inggris, sama di kedua bahasa) untuk skrip, sinkronisasi
            dan jejak audit; laporan untuk orang ada di 'report' dan 'ptk list'.
            """,
            """
            A Dapodik-side consumer pulls the events after the last cursor it processed and sees e-mails become
            verified (emailVerified). Keep the output's 'next' as the following --after.
            Without --json: one event per line, five tab-separated columns (cursor, time, kind, e-mail,
            detail; empty when absent), then the line with the next cursor. Kind and detail are fixed
            technical values (in English, the same in both languages) for scripts, the sync and the audit
            trail; reports for people are 'report' and 'ptk list'.
            """),
        options: [after, limit],
        examples: ["dapodik-verify feed --json", "dapodik-verify feed --after 42.0 --limit 500 --json"],
        supportsJSON: true, action: run)

    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let console = invocation.console
        let after = try invocation.value(Self.after) ?? .start
        let limit = try invocation.value(Self.limit) ?? 100
        let context = try await ServiceContext.open(invocation)
        let events = try await context.service.events(after: after, limit: limit)
        let next = events.last?.cursor ?? after
        if invocation.globals.json {
            try console.printJSON(
                FeedJSON(
                    events: events.map { event in
                        EventJSON(
                            cursor: cursorText(event.cursor), time: event.time, kind: event.kind.rawValue,
                            actor: event.actor?.description, account: event.account?.description, school: event.school,
                            email: event.email?.value, detail: event.detail)
                    }, next: cursorText(next)))
            return .success
        }
        for event in events {
            // Always five columns, empty where the event has no value, so that column n is the same
            // field on every line.
            let columns = [
                cursorText(event.cursor), event.time.formatted(.iso8601), event.kind.rawValue,
                event.email?.value ?? "", event.detail ?? "",
            ]
            console.row(columns)
        }
        console.say("Kursor berikutnya: \(cursorText(next))", "Next cursor: \(cursorText(next))")
        return .success
    }
}
