import DapodikVerification
import Foundation

/// `bounce read|maildir`: bounces of code e-mails, read back into the verification status.
enum BounceCommands {
    static let command = Command.group(
        "bounce",
        summary: text(
            "baca pantulan (bounce): email kode yang dikembalikan server penerima.",
            "read bounces: code e-mails that the receiving server returned."),
        [Read.command, ReadMaildir.command])

    /// The JSON form of one processed message.
    struct ResultJSON: Encodable {
        let file: String?
        let outcome: String
        let kind: String?
        let messageID: String?
        let account: String?
        let status: String?
        let returned: String?
        let reason: String?
        let error: String?
    }

    static func json(_ result: BounceProcessingResult, _ console: Console) -> ResultJSON {
        ResultJSON(
            file: result.fileName, outcome: result.outcome.rawValue, kind: result.report?.kind.rawValue,
            messageID: result.messageID, account: result.account?.description,
            status: result.returned?.statusCode.description, returned: result.returned?.outcome.rawValue,
            reason: result.returned.map { console.pick($0.reason.indonesian, $0.reason.english) },
            error: result.readingError?.code.rawValue)
    }

    /// One line for a person: what the message was and what it changed.
    static func line(_ result: BounceProcessingResult, _ console: Console) -> String {
        let prefix = result.fileName.map { "\($0.escapingControlCharacters): " } ?? ""
        switch result.outcome {
        case .recorded:
            let returned = result.returned
            let code = returned?.statusCode.description ?? ""
            let reason = returned.map { console.pick($0.reason.indonesian, $0.reason.english) } ?? ""
            return prefix
                + (returned?.outcome == .delayed
                    ? console.pick(
                        "tercatat: pengiriman kode tertunda (\(code)): \(reason).",
                        "recorded: the code's delivery is delayed (\(code)): \(reason).")
                    : console.pick(
                        "tercatat: kode dikembalikan oleh server penerima (\(code)): \(reason).",
                        "recorded: the code was returned by the receiving server (\(code)): \(reason)."))
        case .delayEnded:
            return prefix
                + console.pick(
                    "tercatat: email kode yang tertunda akhirnya disampaikan atau diteruskan; penundaannya berakhir.",
                    "recorded: the delayed code e-mail was delivered or passed on after all; the delay is over.")
        case .autoReply:
            return prefix + console.pick("balasan otomatis; tidak ada yang diubah.", "an auto-reply; nothing changed.")
        case .unauthenticated:
            return prefix
                + console.pick(
                    "tidak ada token alamat balik yang sah; tidak ada yang diubah.",
                    "no valid return-address token; nothing changed.")
        case .unreadable:
            let why = result.readingError.map { console.pick($0.message.indonesian, $0.message.english) } ?? ""
            return prefix + console.pick("tidak terbaca: \(why)", "unreadable: \(why)")
        default:
            return prefix
                + console.pick(
                    "diabaikan (\(result.outcome.meaning.indonesian)); tidak ada yang diubah.",
                    "ignored (\(result.outcome.meaning.english)); nothing changed.")
        }
    }

    /// Standard input, at most `limit + 1` bytes (so a larger message is refused, not held).
    static func standardInput(limit: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count <= limit {
            let chunk = FileHandle.standardInput.readData(ofLength: min(65_536, limit + 1 - bytes.count))
            if chunk.isEmpty { break }
            bytes += chunk
        }
        return bytes
    }

    /// `bounce read`: one bounce from standard input (a Postfix pipe or `.forward`).
    enum Read {
        static let recipient = Option<String>(
            "recipient", "address",
            "Alamat penerima amplop (Postfix: ${recipient}), dicoba lebih dulu; lalu alamat di header pesan.",
            "The envelope recipient (Postfix: ${recipient}), tried first; then the addresses in the message's "
                + "headers."
        ) { text, _ throws(CLIError) in
            // An unset ${recipient} in a pipe's command line: said, not read as "no recipient given".
            guard !text.isEmpty else {
                throw CLIError.invalidValue(indonesian: "--recipient kosong.", english: "--recipient is empty.")
            }
            return text
        }

        static let command = Command(
            "read",
            summary: text(
                "baca satu pesan pantulan dari standard input (untuk pipe Postfix atau .forward).",
                "read one bounce message from standard input (for a Postfix pipe or .forward)."),
            discussion: text(
                """
                Pesan yang dialamatkan ke alamat balik bounce+<token>@<domain pengirim> dicatat pada email
                kodenya; status verifikasi PTK berikutnya menyebut kode dikembalikan dan sebabnya. Balasan
                otomatis, pesan tanpa token yang sah, dan laporan keberhasilan tidak mengubah apa pun, kecuali
                laporan keberhasilan email yang tercatat tertunda: penundaannya berakhir.
                Keluar 0 bila pesan terbaca (tercatat atau diabaikan), 65 bila pesan tidak terbaca, 75 bila
                direktori data atau penyimpanan data tidak dapat dipakai (Postfix akan mencoba lagi).
                """,
                """
                A message addressed to a return address bounce+<token>@<sender domain> is recorded on its
                code's e-mail; the PTK's next verification status says the code was returned and why.
                Auto-replies, messages without a valid token and success reports change nothing, but for
                a success report of an e-mail recorded as delayed: its delay ends. Exits 0
                when the message was read (recorded or ignored), 65 when it cannot be read, 75 when the data
                directory or the store cannot be used (Postfix then tries again).
                """),
            options: [recipient],
            examples: [
                "dapodik-verify bounce read < pantulan.eml",
                "dapodik-verify --data /var/lib/dapodik bounce read --recipient bounce+0f…@sekolah.example",
            ],
            supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let context: ServiceContext
            do {
                context = try await ServiceContext.open(invocation)
            } catch {
                throw forMailSystem(ErrorClassification.classify(error))
            }
            let bytes = standardInput(limit: BounceReadingLimits().maximumBytes)
            let result: BounceProcessingResult
            do {
                result = try await context.service.processBounce(
                    bytes, deliveredTo: invocation.value(Self.recipient))
            } catch let error as VerificationError where error.code == .unreadableBounce {
                throw CLIError(
                    .badData, status: .dataError, indonesian: error.message.indonesian, english: error.message.english)
            } catch let error as VerificationError where error.code == .storage {
                throw CLIError(
                    CLIError.Code(error.code.rawValue), status: .temporaryFailure, indonesian: error.message.indonesian,
                    english: error.message.english)
            }
            if invocation.globals.json {
                try console.printJSON(json(result, console))
            } else {
                console.line(line(result, console))
            }
            return .success
        }

        /// A data directory or store that cannot be used is the mail system's to retry (75), not a
        /// reason to discard the bounce: Postfix treats every other failure of a pipe as final.
        static func forMailSystem(_ error: CLIError) -> CLIError {
            guard error.status == .ioError || error.status == .noInput else { return error }
            return CLIError(
                error.code, status: .temporaryFailure,
                indonesian: error.message.indonesian + " Sistem email akan mengirim pantulan ini lagi nanti.",
                english: error.message.english + " The mail system will deliver this bounce again later.")
        }
    }

    /// `bounce maildir <maildir>`: every new message of a bounce Maildir.
    enum ReadMaildir {
        static let maildir = Argument(
            "maildir", "Direktori Maildir yang menerima pantulan (berisi new/ dan cur/).",
            "The Maildir the bounces are delivered into (holding new/ and cur/).")

        static let command = Command(
            "maildir",
            summary: text(
                "baca setiap pesan baru di Maildir pantulan, lalu tandai sudah dibaca.",
                "read every new message in a bounce Maildir, then mark it as seen."),
            discussion: text(
                """
                Setiap pesan di new/ dibaca sekali lalu dipindah ke cur/ dengan tanda S (sudah dibaca), juga
                pesan yang tidak terbaca. Cocok untuk cron, di samping 'outbox drain'.
                """,
                """
                Every message in new/ is read once and moved to cur/ with the S (seen) flag, unreadable ones
                too. Suitable for cron, beside 'outbox drain'.
                """),
            arguments: [maildir], examples: ["dapodik-verify bounce maildir /var/mail/dapodik-bounces"],
            supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let path = invocation.value(Self.maildir)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CLIError(
                    .fileUnreadable, status: .noInput,
                    indonesian: "Tidak ada Maildir di \(path): periksa jalurnya (salah ketik?).",
                    english: "There is no Maildir at \(path): check the path (a typo?).")
            }
            // A folder without new/ is not a Maildir (its parent's new/ itself, a folder of .eml
            // files): saying "no new messages" there would hide every bounce for good.
            let new = URL(fileURLWithPath: path).appendingPathComponent("new").path
            guard FileManager.default.fileExists(atPath: new, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CLIError(
                    .fileUnreadable, status: .noInput,
                    indonesian: "\(path) bukan Maildir: tidak ada folder new/ di dalamnya. Berikan folder Maildir "
                        + "yang berisi new/, cur/ dan tmp/.",
                    english: "\(path) is not a Maildir: it holds no new/ folder. Give the Maildir folder that holds "
                        + "new/, cur/ and tmp/.")
            }
            let context = try await ServiceContext.open(invocation)
            let results = try await context.service.processBounces(
                in: MaildirInbox(directory: URL(fileURLWithPath: path)))
            if invocation.globals.json {
                try console.printJSON(results.map { json($0, console) })
            } else if results.isEmpty {
                console.say("Tidak ada pesan baru.", "No new messages.")
            } else {
                for result in results { console.line(line(result, console)) }
            }
            return .success
        }
    }
}
