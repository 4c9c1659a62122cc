import DapodikVerification

// Temporary: actions that wait for the service to land on main.
private func pending(_ invocation: Invocation) async throws -> ExitStatus {
    throw CLIError(.notFound, status: .unavailable, indonesian: "Belum tersedia.", english: "Not available yet.")
}
enum SchoolCommands { static let create: Command.Action = pending }
enum OperatorCommands {
    static let requestCode: Command.Action = pending
    static let confirm: Command.Action = pending
    static let status: Command.Action = pending
}
enum PTKCommands {
    static let register: Command.Action = pending
    static let edit: Command.Action = pending
    static let list: Command.Action = pending
    static let status: Command.Action = pending
    static let start: Command.Action = pending
    static let correctEmail: Command.Action = pending
    static let continueVerification: Command.Action = pending
    static let submit: Command.Action = pending
    static let delivery: Command.Action = pending
    static let resend: Command.Action = pending
}
enum ImportCommand { static let run: Command.Action = pending }
enum OutboxCommands {
    static let drain: Command.Action = pending
    static let run: Command.Action = pending
}
enum FeedCommand { static let run: Command.Action = pending }
enum ReportCommand { static let run: Command.Action = pending }
enum KeyCommands {
    static let rotate: Command.Action = pending
    static let list: Command.Action = pending
}
enum DemoCommand { static let run: Command.Action = pending }
