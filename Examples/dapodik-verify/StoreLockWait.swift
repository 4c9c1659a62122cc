import DapodikVerification

/// How long the program waits for another process that holds the file store (a long compaction,
/// import, salvage or backup, or a stopped process), and what it says meanwhile: after a second of
/// waiting, one line on standard error (none with `--json`); after the limit, exit 75 saying that
/// nothing was changed.
enum StoreLockWait {
    /// The environment variable with the longest wait in whole seconds (0–3600; default 60).
    static let environmentVariable = "DAPODIK_LOCK_WAIT"
    /// The longest wait when the variable is not set.
    static let defaultSeconds = 60

    /// The wait policy for the file store of this invocation.
    /// - Throws: ``CLIError`` (65) when the variable is not a whole number of seconds in 0–3600.
    static func policy(_ invocation: Invocation) throws(CLIError) -> LockWaitPolicy {
        var seconds = defaultSeconds
        if let text = invocation.environment[environmentVariable] {
            guard let value = Int(text), (0...3600).contains(value) else {
                throw CLIError.invalidValue(
                    indonesian: "$\(environmentVariable) harus bilangan bulat detik 0–3600, bukan '\(text)'.",
                    english: "$\(environmentVariable) must be a whole number of seconds in 0–3600, not '\(text)'.")
            }
            seconds = value
        }
        let console = invocation.console
        let message = console.pick(
            "Menunggu proses lain yang sedang memakai penyimpanan (paling lama \(seconds) detik; "
                + "$\(environmentVariable) mengubahnya)…",
            "Waiting for another process that is using the store (at most \(seconds) seconds; "
                + "$\(environmentVariable) changes that)…")
        return LockWaitPolicy(limit: .seconds(seconds), onLongWait: { _ in console.narrate(message) })
    }

    /// The file store's options with this invocation's wait policy; a failed automatic compaction is
    /// one line on standard error (the commit that set it off succeeded; a log that keeps growing
    /// makes every open slower, so someone should know).
    static func options(_ invocation: Invocation) throws(CLIError) -> FileRecordStore.Options {
        var options = FileRecordStore.Options()
        options.lockWait = try policy(invocation)
        let console = invocation.console
        options.onAutomaticCompactionFailure = { error in
            console.warn(
                code: "store.automaticCompactionFailed",
                console.pick(
                    "Pemadatan otomatis penyimpanan gagal (tidak ada data yang hilang): ",
                    "The store's automatic compaction failed (no data was lost): ")
                    + console.pick(error.message.indonesian, error.message.english))
        }
        return options
    }
}
