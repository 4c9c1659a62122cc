import Foundation

// dapodik-verify: the whole Dapodik e-mail verification from a terminal. See `dapodik-verify --help`.
let status = await CommandLineInterface.main(
    Array(CommandLine.arguments.dropFirst()), root: CommandTree.root,
    environment: ProcessInfo.processInfo.environment)
await SMTPOption.closeConnections()
exit(status.rawValue)
