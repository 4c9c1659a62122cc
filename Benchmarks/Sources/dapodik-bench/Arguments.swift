/// The command line of `dapodik-bench`: a subcommand followed by `--name value` options.
struct Arguments {
    var command: String
    private var options: [String: String]

    init(_ arguments: [String]) throws(UsageError) {
        guard let first = arguments.first else { throw UsageError("missing subcommand") }
        command = first
        options = [:]
        var index = 1
        while index < arguments.count {
            let name = arguments[index]
            guard name.hasPrefix("--"), index + 1 < arguments.count else {
                throw UsageError("expected --option value, got \(name)")
            }
            options[String(name.dropFirst(2))] = arguments[index + 1]
            index += 2
        }
    }

    func string(_ name: String, default fallback: String? = nil) throws(UsageError) -> String {
        if let value = options[name] ?? fallback { return value }
        throw UsageError("missing --\(name)")
    }

    func integer(_ name: String, default fallback: Int? = nil) throws(UsageError) -> Int {
        if let text = options[name] {
            guard let value = Int(text.filter { $0 != "_" }) else {
                throw UsageError("--\(name) needs an integer, got \(text)")
            }
            return value
        }
        if let fallback { return fallback }
        throw UsageError("missing --\(name)")
    }
}

/// A command line `dapodik-bench` cannot run.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
