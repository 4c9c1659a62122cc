import DapodikVerification
import Foundation

/// `bounce read|maildir`: bounces of code e-mails, read back into the verification status.
enum BounceCommands {
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
        let prefix = result.fileName.map { "\($0): " } ?? ""
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
                    "diabaikan (\(result.outcome.rawValue)); tidak ada yang diubah.",
                    "ignored (\(result.outcome.rawValue)); nothing changed.")
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

    static let read: Command.Action = { invocation in
        let console = invocation.console
        let context = try await ServiceContext.open(invocation)
        let bytes = standardInput(limit: BounceReadingLimits().maximumBytes)
        let result: BounceProcessingResult
        do {
            result = try await context.service.processBounce(
                bytes, deliveredTo: invocation.arguments.value("recipient"))
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

    static let maildir: Command.Action = { invocation in
        let console = invocation.console
        guard let path = invocation.arguments.positional(0) else {
            throw CLIError.usage(
                .missingArgument, indonesian: "Sebutkan direktori Maildir pantulan.",
                english: "Name the bounce Maildir directory.")
        }
        let context = try await ServiceContext.open(invocation)
        let results = try await context.service.processBounces(in: MaildirInbox(directory: URL(fileURLWithPath: path)))
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
