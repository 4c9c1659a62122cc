/// The commands that only read: where this process cannot write the file store (read-only media, a
/// replica), ``ServiceContext/open(_:creating:now:transport:passwordHasher:)`` opens it read-only for
/// them, and the refusal of a writing command there (`io.readOnlyStore`) names them. `store check` and
/// `store backup` open it read-only always, with options of their own.
///
/// One list, kept here rather than as a mark on each ``Command``: the argument parser finds a command
/// by its path and knows nothing of stores; which of them may run on a store that cannot be written
/// is the data directory's concern.
enum ReadingCommands {
    /// Each command's path below the program, as typed.
    static let paths: [[String]] = [
        ["feed"], ["report"], ["ptk", "list"], ["ptk", "status"], ["ptk", "delivery"], ["operator", "status"],
        ["store", "check"], ["store", "backup"],
    ]

    /// Whether the command at `path` only reads.
    static func contains(_ path: [String]) -> Bool { paths.contains(path) }

    /// The commands as a person types them, for messages: `feed, report, ptk list, …`.
    static var named: String { paths.map { $0.joined(separator: " ") }.joined(separator: ", ") }
}
