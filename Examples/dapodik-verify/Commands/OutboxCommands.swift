import DapodikLocking
import DapodikVerification
import Foundation

/// `outbox drain|run`: the dispatcher that sends queued mail.
enum OutboxCommands {
    static let command = Command.group(
        "outbox", summary: text("kotak keluar: email yang menunggu dikirim.", "the outbox: mail waiting to be sent."),
        [Drain.command, Run.command])

    /// The JSON form of a ``DispatchSummary``.
    struct SummaryJSON: Encodable {
        let handedOver: Int
        let retrying: Int
        let failed: Int
        let misconfigured: Int
        let expired: Int
        let cancelled: Int
        /// Messages done with and past the retention, removed from the outbox this round.
        let removed: Int
        /// Each message of `retrying`: its recipient and why it failed.
        let transientFailures: [TransientFailureJSON]
        /// Each message that could not be read or dispatched this round: tried again next round.
        let unprocessable: [UnprocessableJSON]
        let nextDueAt: Date?
        /// The zone of the school whose message is due next (`WIB`, `WITA`, `WIT`).
        let nextDueTimeZone: String?
    }

    /// The JSON form of a ``DispatchSummary/TransientFailure``.
    struct TransientFailureJSON: Encodable {
        let id: UUID
        let recipient: String
        /// The transport's stable code, such as `transport.deferred`.
        let code: String
        let smtpReplyCode: Int?
        let serverReply: String?
        let detail: String

        init(_ failure: DispatchSummary.TransientFailure) {
            id = failure.id
            recipient = failure.recipient.value
            code = failure.error.code.rawValue
            smtpReplyCode = failure.error.smtpReplyCode
            serverReply = failure.error.serverReply
            detail = failure.error.detail
        }
    }

    /// The JSON form of a ``DispatchSummary/Unprocessable``.
    struct UnprocessableJSON: Encodable {
        let id: UUID
        /// `nil` when the message's record does not read.
        let recipient: String?
        /// The library's stable code: `storage` or `busy`.
        let code: String
        /// Why, in the language of the command (`--lang`).
        let reason: String

        init(_ message: DispatchSummary.Unprocessable, language: Language) {
            id = message.id
            recipient = message.recipient?.value
            code = message.code.rawValue
            reason = message.description(in: language)
        }
    }

    static func lines(_ summary: DispatchSummary, _ console: Console) -> [String] {
        var lines = [
            console.pick(
                "Terkirim: \(summary.handedOver), dicoba lagi nanti: \(summary.retrying), gagal: \(summary.failed), "
                    + "salah konfigurasi: \(summary.misconfigured), kedaluwarsa: \(summary.expired), "
                    + "dibatalkan: \(summary.cancelled).",
                "Handed over: \(summary.handedOver), retrying later: \(summary.retrying), failed: \(summary.failed), "
                    + "misconfigured: \(summary.misconfigured), expired: \(summary.expired), "
                    + "cancelled: \(summary.cancelled).")
        ]
        // Whoever drains the outbox runs the mail setup: the transport's words (the server's reply
        // included), which the verification code never is in (DispatchSummary.TransientFailure).
        for failure in summary.transientFailures {
            let said = "\(failure.error.transport): \(failure.error.detail)"
            lines.append(
                console.pick(
                    "  \(failure.recipient.value): belum terkirim, dicoba lagi nanti (\(said))",
                    "  \(failure.recipient.value): not sent yet, retried later (\(said))"))
        }
        // A message the dispatcher cannot read stays in the outbox, unsent, until a person acts: never
        // left out of the operator's view. The reason is the store's or the decoder's, which never see
        // a code (the outbox keeps it sealed).
        for message in summary.unprocessable {
            let recipient = message.recipient?.value ?? console.pick("penerima tidak diketahui", "recipient unknown")
            let reason = message.description(in: console.language)
            lines.append(
                console.pick(
                    "  Pesan \(message.id.uuidString) (\(recipient)): tidak dapat diproses, dicoba lagi pada "
                        + "putaran berikutnya (\(reason))",
                    "  Message \(message.id.uuidString) (\(recipient)): cannot be processed, tried again next round "
                        + "(\(reason))"))
        }
        if summary.failed > 0 {
            // The drain sends for every school: why each was refused is in the school's report and the feed.
            lines.append(
                console.pick(
                    "\(summary.failed) email ditolak untuk selamanya; alasannya ada di status pengiriman tiap akun "
                        + "('dapodik-verify report --as <operator>') dan di feed (deliveryFailed).",
                    "\(summary.failed) message(s) refused for good; why is in each account's delivery status "
                        + "('dapodik-verify report --as <operator>') and in the feed (deliveryFailed)."))
        }
        if summary.removed > 0 {
            lines.append(
                console.pick(
                    "\(summary.removed) email lama dihapus dari kotak keluar (masa simpannya sudah lewat).",
                    "\(summary.removed) old message(s) removed from the outbox (past their retention)."))
        }
        if let next = summary.nextDueAt {
            // In the zone of the school whose message it is: the time its people are told, rounded up to
            // the minute (a drain at the minute shown finds it due).
            let zone = summary.nextDueTimeZone ?? .wib
            lines.append(
                console.pick(
                    "Pesan berikutnya jatuh tempo: \(zone.formattedDateTime(notBefore: next, language: .indonesian))",
                    "Next message due: \(zone.formattedDateTime(notBefore: next, language: .english))"))
        }
        return lines
    }

    /// `outbox drain`: every due message, once.
    enum Drain {
        static let command = Command(
            "drain",
            summary: text(
                "kirim sekali setiap email yang sudah waktunya, lalu selesai.",
                "send every message that is due, once, then stop."),
            discussion: text(
                """
                Kegagalan sementara dicoba lagi nanti (jeda makin panjang), dan setiap email yang gagal
                disebutkan dengan penerimanya dan jawaban server atau transport; kegagalan permanen tidak
                dicoba lagi, dan alasannya dicatat di status pengiriman akun itu dan di feed; kode yang sudah
                kedaluwarsa tidak dikirim. Email yang tidak dapat dibaca atau diproses (rekaman rusak, penyimpanan
                gagal) disebutkan dengan id, penerima bila diketahui, dan alasannya, lalu dicoba lagi pada putaran
                berikutnya; kode keluarnya 74 (75 bila penyimpanan hanya sedang tidak terjangkau). Cocok untuk cron.
                """,
                """
                Temporary failures are retried later (with growing delays), and each message that failed is
                listed with its recipient and the server's or transport's answer; permanent failures are not
                retried, and their reason is kept in the account's delivery status and in the feed; a code
                that has expired is not sent. A message that cannot be read or processed (a damaged record, a
                store failure) is listed with its id, its recipient when known and the reason, and tried again
                next round; the exit code is then 74 (75 when the store was only out of reach). Suitable for
                cron.
                """),
            examples: ["dapodik-verify outbox drain", "dapodik-verify --sendmail /usr/sbin/sendmail outbox drain"],
            supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let context = try await ServiceContext.open(invocation)
            let summary = try await context.service.drainOutbox()
            if invocation.globals.json {
                try console.printJSON(
                    SummaryJSON(
                        handedOver: summary.handedOver, retrying: summary.retrying, failed: summary.failed,
                        misconfigured: summary.misconfigured, expired: summary.expired, cancelled: summary.cancelled,
                        removed: summary.removed,
                        transientFailures: summary.transientFailures.map(TransientFailureJSON.init),
                        unprocessable: summary.unprocessable.map {
                            UnprocessableJSON($0, language: invocation.language)
                        },
                        nextDueAt: summary.nextDueAt, nextDueTimeZone: summary.nextDueTimeZone?.abbreviation))
            } else {
                for line in lines(summary, console) { console.data(line) }
            }
            // EX_UNAVAILABLE tells cron and monitoring that a person must fix the mail setup; a message
            // that cannot be read is the data's trouble (EX_IOERR), or the store's for now (EX_TEMPFAIL).
            if summary.misconfigured > 0 { return .unavailable }
            if summary.unprocessable.contains(where: { $0.code != .busy }) { return .ioError }
            return summary.unprocessable.isEmpty ? .success : .temporaryFailure
        }
    }

    /// `outbox run`: keep sending until stopped.
    enum Run {
        static let interval = Option(
            "interval", "seconds", "Jeda antar pemeriksaan bila kotak keluar kosong (bawaan 5).",
            "The pause between checks when the outbox is empty (default 5).", convert: Inputs.wholeNumber(in: 1...3600))

        static let command = Command(
            "run",
            summary: text("kirim terus-menerus sampai dihentikan (Ctrl-C).", "keep sending until stopped (Ctrl-C)."),
            options: [interval], examples: ["dapodik-verify outbox run --interval 10"], action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let interval = try invocation.value(Self.interval) ?? 5
            let context = try await ServiceContext.open(invocation)
            let language = invocation.language
            let task = Task {
                // A store out of reach for now (a database restarting) is said and waited out, not fatal.
                try await context.service.runDispatcher(pollInterval: .seconds(interval)) { error, pause in
                    Console.write(retryNotice(error, pause: pause, language: language) + "\n", to: .standardError)
                }
            }
            // Said at once: a send under way (a sendmail that hangs, a slow SMTP server) is finished first,
            // which can take up to the transport's limit.
            let signals = await SignalWatcher(cancelling: task) {
                console.say(
                    "Menghentikan… (email yang sedang dikirim diselesaikan dulu)",
                    "Stopping… (a message being sent is finished first)")
            }
            defer { signals.stop() }
            // Said only once Ctrl-C is handled (the watcher is registered), so whoever waits for this
            // line may interrupt right away.
            console.say(
                "Mengirim email dari kotak keluar; hentikan dengan Ctrl-C.",
                "Sending mail from the outbox; stop with Ctrl-C.")
            try await task.value
            console.say("Berhenti.", "Stopped.")
            return .success
        }

        /// What `outbox run` writes to standard error when the dispatcher waits `pause` out after `error`
        /// (a store out of reach for now): the error's words and when it tries again, in `language`, control
        /// characters escaped like every message's (`Console`), since the store's words may repeat a path.
        static func retryNotice(_ error: VerificationError, pause: Duration, language: Language) -> String {
            let seconds = pause.components.seconds
            let notice =
                language == .english
                ? "\(error.message.english) Trying again in \(seconds) s."
                : "\(error.message.indonesian) Dicoba lagi dalam \(seconds) detik."
            return notice.escapingControlCharacters
        }
    }
}

/// Cancels a task on SIGINT or SIGTERM, so `outbox run` stops between two sends instead of dying
/// in the middle of one (a message being sent is leased; it would be retried after the lease, but
/// a clean stop is better).
struct SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    /// Starts watching, and returns once both signals are handled.
    ///
    /// A source's `resume()` registers it later, on another thread: a signal arriving before that
    /// was ignored (lost), so a Ctrl-C right after the "sending" line did nothing. Each source is
    /// therefore awaited until its registration handler has run. (The signal is set to be ignored
    /// first, as Dispatch asks of signal sources; on Linux the registration then puts Dispatch's own
    /// handler in its place.)
    /// - Parameters:
    ///   - task: The task to cancel.
    ///   - onFirstSignal: Run once, when the first of the signals arrives.
    init(cancelling task: Task<Void, any Error>, onFirstSignal: @escaping @Sendable () -> Void) async {
        var sources: [any DispatchSourceSignal] = []
        let signalled = LockedValue(false)
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let first = signalled.withLock { signalled in
                    defer { signalled = true }
                    return !signalled
                }
                if first { onFirstSignal() }
                task.cancel()
            }
            await withCheckedContinuation { (registered: CheckedContinuation<Void, Never>) in
                source.setRegistrationHandler { registered.resume() }
                source.resume()
            }
            sources.append(source)
        }
        self.sources = sources
    }

    /// Stops watching.
    func stop() { for source in sources { source.cancel() } }
}
