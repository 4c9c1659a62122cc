import DapodikVerification
import Foundation

/// `mailbox list|show|code`: reading the Maildir the program delivers into, as a person would read
/// their inbox.
enum MailboxCommands {
    static let command = Command.group(
        "mailbox",
        summary: text(
            "baca Maildir <data>/mail: email yang 'terkirim' oleh program ini.",
            "read the <data>/mail Maildir: the mail this program 'sent'."),
        [List.command, Show.command, Code.command])

    /// One line of `mailbox list --json`.
    struct Summary: Encodable {
        let number: Int
        let file: String
        let date: String
        let from: String
        let to: String
        let subject: String
    }

    /// The Maildir of a data directory.
    static func maildir(_ invocation: Invocation) throws(CLIError) -> MaildirReader {
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        try data.requireExisting(maildirSuffices: true)
        return MaildirReader(directory: data.maildir)
    }

    /// The bare address in a To/From header: the part inside `<…>`, lower-cased.
    static func address(in header: String) -> String {
        if let open = header.lastIndex(of: "<"), let close = header.lastIndex(of: ">"), open < close {
            return header[header.index(after: open)..<close].lowercased()
        }
        return header.trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func entries(_ invocation: Invocation, to recipient: String?) throws(CLIError) -> [MaildirReader.Entry] {
        let all = try maildir(invocation).entries()
        guard let recipient else { return all }
        let wanted = recipient.trimmingCharacters(in: .whitespaces).lowercased()
        return all.filter { address(in: $0.message.header("To") ?? "") == wanted }
    }

    /// `mailbox list`: the messages, newest last.
    enum List {
        static let to = Option<String>(
            "to", "email",
            "Hanya pesan untuk alamat ini; tiap pesan tetap memakai nomornya di seluruh kotak surat (untuk "
                + "'mailbox show').",
            "Only messages to this address; each keeps its number in the whole mailbox (for 'mailbox show').")

        static let command = Command(
            "list", summary: text("daftar pesan, terbaru terakhir.", "list the messages, newest last."),
            options: [to],
            examples: ["dapodik-verify mailbox list", "dapodik-verify mailbox list --to budi@gmail.com --json"],
            supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let entries = try entries(invocation, to: invocation.value(Self.to))
            let summaries = entries.map { entry in
                Summary(
                    number: entry.number, file: entry.fileName, date: entry.message.header("Date") ?? "",
                    from: entry.message.header("From") ?? "", to: entry.message.header("To") ?? "",
                    subject: entry.message.header("Subject") ?? "")
            }
            if invocation.globals.json {
                try console.printJSON(summaries)
                return .success
            }
            if summaries.isEmpty {
                console.say("Kotak surat kosong.", "The mailbox is empty.")
                return .success
            }
            for summary in summaries {
                console.data("\(summary.number). \(summary.date)")
                console.data("   \(console.pick("Kepada", "To")): \(summary.to)")
                console.data("   \(console.pick("Perihal", "Subject")): \(summary.subject)")
            }
            return .success
        }

    }

    /// `mailbox show <message>`: one whole message.
    enum Show {
        static let message = Argument(
            "message", "Nomor pesan dari 'mailbox list' atau nama berkasnya.",
            "The message's number from 'mailbox list' or its file name.")

        static let command = Command(
            "show", summary: text("tampilkan satu pesan utuh.", "show one whole message."), arguments: [message],
            examples: ["dapodik-verify mailbox show 1"], action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let wanted = invocation.value(Self.message)
            let entries = try maildir(invocation).entries()
            guard let entry = entries.first(where: { String($0.number) == wanted || $0.fileName == wanted }) else {
                throw CLIError(
                    .notFound, status: .refused, indonesian: "Tidak ada pesan \(wanted) di kotak surat.",
                    english: "There is no message \(wanted) in the mailbox.")
            }
            for name in ["Date", "From", "To", "Subject", "Message-ID"] {
                if let value = entry.message.header(name) { console.data("\(name): \(value)") }
            }
            console.line()
            console.text(entry.message.text)
            return .success
        }

    }

    /// `mailbox code`: the verification code in the newest (or n-th) message to an address.
    enum Code {
        /// The code of a message, for `mailbox code --json`.
        struct CodeOutput: Encodable {
            let code: String
            let messageNumber: Int
            let to: String
            let date: String
        }

        static let to = RequiredOption<String>("to", "email", "Alamat penerima.", "The recipient's address.")
        static let nth = Option<Int>(
            "nth", "n", "Ambil dari pesan ke-n untuk alamat itu (1 = pertama), bukan yang terbaru.",
            "Take it from the n-th message to that address (1 = first) instead of the newest."
        ) { text, _ throws(CLIError) in
            guard let index = Int(text), index >= 1 else {
                throw CLIError.invalidValue(
                    indonesian: "--nth harus bilangan bulat mulai 1.", english: "--nth must be a whole number from 1.")
            }
            return index
        }

        static let command = Command(
            "code",
            summary: text(
                "ambil kode verifikasi dari pesan terbaru untuk sebuah alamat.",
                "extract the verification code from the newest message to an address."),
            options: [to, nth], examples: ["dapodik-verify mailbox code --to budi@gmail.com"], supportsJSON: true,
            action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let recipient = try invocation.value(Self.to)
            let entries = try entries(invocation, to: recipient)
            var chosen = entries.last
            if let index = try invocation.value(Self.nth) {
                guard index <= entries.count else {
                    throw CLIError(
                        .notFound, status: .refused,
                        indonesian: "Untuk \(recipient) baru ada \(entries.count) pesan; tidak ada pesan ke-\(index).",
                        english:
                            "There are only \(entries.count) messages to \(recipient); there is no message \(index).")
                }
                chosen = entries[index - 1]
            }
            guard let entry = chosen else {
                throw CLIError(
                    .notFound, status: .refused, indonesian: "Belum ada pesan untuk \(recipient).",
                    english: "No message for \(recipient) yet.")
            }
            guard let code = entry.message.codes.first else {
                throw CLIError(
                    .noCodeInMessage, status: .refused,
                    indonesian: "Pesan \(entry.number) untuk \(recipient) tidak berisi kode verifikasi.",
                    english: "Message \(entry.number) to \(recipient) holds no verification code.")
            }
            if invocation.globals.json {
                try console.printJSON(
                    CodeOutput(
                        code: code, messageNumber: entry.number, to: recipient, date: entry.message.header("Date") ?? ""
                    ))
            } else {
                console.line(code)
            }
            return .success
        }
    }
}
