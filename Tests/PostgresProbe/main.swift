// A child process for the PostgreSQL multi-process tests: commits `count` records named
// `<prefix>-<n>` into the store at `url` (schema `schema`, already migrated) one after another, and
// prints "<n> <sequence>" after each commit is acknowledged. Transient failures are retried.
// Usage: PostgresProbe URL SCHEMA PREFIX COUNT
// (or `PostgresProbe dispatch …`: outbox dispatchers, DispatchMode.swift; `PostgresProbe submit …`:
// concurrent code submissions, SubmitMode.swift; `PostgresProbe queue …`: one code queued, QueueMode.swift)
#if PostgreSQL
    import DapodikPostgres
    import DapodikStorage
    import Foundation

    let arguments = CommandLine.arguments
    if arguments.count > 1 && arguments[1] == "dispatch" {
        try await runDispatchers(Array(arguments.dropFirst()))
        exit(0)
    }
    if arguments.count > 1 && arguments[1] == "queue" {
        try await queueCode(Array(arguments.dropFirst()))
        exit(0)
    }
    if arguments.count > 1 && arguments[1] == "submit" {
        try await runSubmissions(Array(arguments.dropFirst()))
        exit(0)
    }
    guard arguments.count == 5, let count = Int(arguments[4]) else {
        FileHandle.standardError.write(Data("usage: PostgresProbe URL SCHEMA PREFIX COUNT\n".utf8))
        exit(64)
    }
    var configuration = try PostgresRecordStore.Configuration(url: arguments[1], password: nil)
    configuration.schema = arguments[2]
    let store = try PostgresRecordStore(configuration: configuration)
    var n = 0
    while n < count {
        let key = RecordKey(collection: "probe", id: "\(arguments[3])-\(n)")
        do {
            let sequence = try await store.commit(.put(key, value: Data("\(n)".utf8), expecting: .mustNotExist))
            FileHandle.standardOutput.write(Data("\(n) \(sequence)\n".utf8))
            n += 1
        } catch let error as StoreError where error.code == .unavailable {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
    await store.shutdown()
#endif
