import Foundation

// dapodik-verify: the whole Dapodik e-mail verification from a terminal. See `dapodik-verify --help`.
// A closed pipe on standard output is an error to report (`Console.settle`), not a signal that
// stops the command between two of its commits. Child processes get SIGPIPE's default back.
signal(SIGPIPE, SIG_IGN)
let status = await CommandLineInterface.main(
    Array(CommandLine.arguments.dropFirst()), root: CommandTree.root,
    environment: ProcessInfo.processInfo.environment)
await SMTPOption.closeConnections()
exit(status.rawValue)
