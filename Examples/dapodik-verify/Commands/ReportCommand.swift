import DapodikVerification
import Foundation

/// `report`: the operator's picture of the school.
enum ReportCommand {
    /// The JSON form of one report line.
    struct EntryJSON: Encodable {
        let account: String
        let name: String
        let username: String
        let maskedAddress: String?
        let standing: String
        let verifiedAt: Date?
        let delivery: StatusPresentation.DeliveryJSON?
    }

    /// The JSON form of the report.
    struct ReportJSON: Encodable {
        let npsn: String
        let school: String
        let verified: Int
        let pending: Int
        let neverStarted: Int
        let undeliverable: Int
        let returnedCount: Int
        let flaggedAddresses: [FlaggedJSON]
        let entries: [EntryJSON]
    }

    /// The JSON form of an address a bounce flagged for the operator to check.
    struct FlaggedJSON: Encodable {
        let account: String
        let name: String
        let username: String
        let maskedAddress: String?
        let statusCode: String
        let reason: String
        let advice: String
    }

    /// The flagged entries with their bounce; the report's own ``SchoolReport/flaggedAddresses``
    /// keeps only entries that have one.
    static func flagged(_ report: SchoolReport) -> [(entry: SchoolReport.Entry, returned: ReturnedDelivery)] {
        report.flaggedAddresses.compactMap { entry in entry.returnedDelivery.map { (entry, $0) } }
    }

    static func standing(_ standing: SchoolReport.Standing) -> String {
        switch standing {
        case .verified: "verified"
        case .pending: "pending"
        case .neverStarted: "neverStarted"
        case .undeliverable: "undeliverable"
        }
    }

    /// A standing in words, without the delivery detail.
    static func standingText(_ standing: SchoolReport.Standing, _ console: Console) -> String {
        switch standing {
        case .verified: console.pick("terverifikasi", "verified")
        case .pending: console.pick("menunggu", "pending")
        case .neverStarted: console.pick("belum mulai", "never started")
        case .undeliverable: console.pick("TIDAK TERKIRIM", "UNDELIVERABLE")
        }
    }

    static let command = Command(
        "report",
        summary: text(
            "laporan sekolah: siapa terverifikasi, menunggu, belum mulai, atau tidak terkirim.",
            "the school report: who is verified, pending, never started, or undeliverable."),
        options: [CommonOptions.asOperator], examples: ["dapodik-verify report --as siti@sdn1.sch.id"],
        supportsJSON: true, action: run)

    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let console = invocation.console
        let language = invocation.language
        let context = try await ServiceContext.open(invocation)
        let session = try await context.login(invocation, as: CommonOptions.asOperator)
        let report = try await context.service.schoolReport(by: session.account)
        let counts = Dictionary(grouping: report.entries) { standing($0.standing) }.mapValues(\.count)
        if invocation.globals.json {
            let entries = report.entries.map { entry in
                var verifiedAt: Date?
                var delivery: StatusPresentation.DeliveryJSON?
                switch entry.standing {
                case .verified(let date): verifiedAt = date
                case .pending(let status), .undeliverable(let status):
                    delivery = StatusPresentation.json(status, language: language)
                case .neverStarted: break
                }
                return EntryJSON(
                    account: entry.account.description, name: entry.displayName.value, username: entry.username.value,
                    maskedAddress: entry.maskedAddress, standing: standing(entry.standing), verifiedAt: verifiedAt,
                    delivery: delivery)
            }
            try console.printJSON(
                ReportJSON(
                    npsn: report.npsn.value, school: report.schoolName, verified: counts["verified"] ?? 0,
                    pending: counts["pending"] ?? 0, neverStarted: counts["neverStarted"] ?? 0,
                    undeliverable: counts["undeliverable"] ?? 0, returnedCount: report.returnedCount,
                    flaggedAddresses: flagged(report).map { entry, returned in
                        FlaggedJSON(
                            account: entry.account.description, name: entry.displayName.value,
                            username: entry.username.value, maskedAddress: entry.maskedAddress,
                            statusCode: returned.statusCode.description, reason: returned.reason.text(in: language),
                            advice: returned.advice.text(in: language))
                    }, entries: entries))
            return .success
        }
        console.data("\(report.schoolName) (NPSN \(report.npsn.value))")
        console.say(
            "Terverifikasi \(counts["verified"] ?? 0), menunggu \(counts["pending"] ?? 0), belum mulai "
                + "\(counts["neverStarted"] ?? 0), tidak terkirim \(counts["undeliverable"] ?? 0).",
            "Verified \(counts["verified"] ?? 0), pending \(counts["pending"] ?? 0), never started "
                + "\(counts["neverStarted"] ?? 0), undeliverable \(counts["undeliverable"] ?? 0).")
        if report.returnedCount > 0 {
            console.say(
                "Dikembalikan \(report.returnedCount) (email kode ditolak atau tertunda di server penerima).",
                "Returned \(report.returnedCount) (the code's e-mail was refused or delayed by the receiving server).")
        }
        for (entry, returned) in flagged(report) {
            console.data(
                console.pick("Alamat perlu diperiksa: ", "Address to check: ")
                    + "\(entry.username.value) (\(entry.displayName.value)) \(entry.maskedAddress ?? "-") — "
                    + "\(returned.statusCode): \(returned.reason.text(in: language))")
        }
        for entry in report.entries {
            let state: String
            switch entry.standing {
            case .verified: state = console.pick("terverifikasi", "verified")
            case .pending(let status):
                state = console.pick("menunggu", "pending") + " — " + status.explanation.text(in: language)
            case .neverStarted: state = console.pick("belum mulai", "never started")
            case .undeliverable(let status):
                state = console.pick("TIDAK TERKIRIM", "UNDELIVERABLE") + " — " + status.explanation.text(in: language)
            }
            console.row(["  \(entry.username.value)", entry.displayName.value, entry.maskedAddress ?? "-", state])
        }
        return .success
    }
}
