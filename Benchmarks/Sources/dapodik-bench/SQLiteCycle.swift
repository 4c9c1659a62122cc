import Synchronization

/// The SQLite peer of the verification cycle: the same two transactions the service commits through
/// the record store, on a WAL database with `synchronous=FULL`.
///
/// 1. Code issued: read the challenge's version; then in one `BEGIN IMMEDIATE` transaction, update the
///    challenge only if its version is unchanged, insert the outbox message, insert the event.
/// 2. Code submitted: read the challenge's and the account's versions; then in one transaction update
///    both conditionally and insert the event.
///
/// Each client works on its own account and challenge, so no update ever conflicts; a conflict would
/// be a bug and fails the run. The statements belong to one connection; whoever holds it runs them.
final class SQLiteCycle {
    static let schema = """
        CREATE TABLE IF NOT EXISTS account(id TEXT PRIMARY KEY, version INTEGER NOT NULL, body BLOB NOT NULL,
            email TEXT NOT NULL UNIQUE, username TEXT NOT NULL UNIQUE, school TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS account_school ON account(school);
        CREATE TABLE IF NOT EXISTS challenge(id TEXT PRIMARY KEY, version INTEGER NOT NULL, body BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS outbox(id TEXT PRIMARY KEY, version INTEGER NOT NULL, body BLOB NOT NULL,
            due TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS outbox_due ON outbox(due);
        CREATE TABLE IF NOT EXISTS event(sequence INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body BLOB NOT NULL);
        """

    private let connection: SQLiteConnection
    private let begin: SQLiteStatement
    private let commit: SQLiteStatement
    private let rollback: SQLiteStatement
    private let challengeVersion: SQLiteStatement
    private let accountVersion: SQLiteStatement
    private let updateChallenge: SQLiteStatement
    private let updateAccount: SQLiteStatement
    private let insertOutbox: SQLiteStatement
    private let insertEvent: SQLiteStatement

    /// Creates the schema and the rows of clients `0..<clients` in a fresh database at `path`.
    static func prepareDatabase(path: String, clients: Int) throws(SQLiteError) {
        let connection = try SQLiteConnection(path: path)
        try connection.execute(schema)
        try connection.execute("BEGIN")
        let account = try connection.prepare(
            "INSERT INTO account(id, version, body, email, username, school) VALUES(?1, 1, ?2, ?3, ?4, ?5)")
        let challenge = try connection.prepare("INSERT INTO challenge(id, version, body) VALUES(?1, 1, ?2)")
        for client in 0..<clients {
            try account.run([
                Payloads.accountID(client), Payloads.account(client, version: 1), Payloads.email(client),
                Payloads.username(client), Payloads.npsn(client),
            ])
            try challenge.run(["chl-\(client)", Payloads.challenge(client, version: 1)])
        }
        try connection.execute("COMMIT")
    }

    /// Opens a connection and prepares the cycle's statements on it.
    init(path: String) throws(SQLiteError) {
        connection = try SQLiteConnection(path: path)
        begin = try connection.prepare("BEGIN IMMEDIATE")
        commit = try connection.prepare("COMMIT")
        rollback = try connection.prepare("ROLLBACK")
        challengeVersion = try connection.prepare("SELECT version FROM challenge WHERE id = ?1")
        accountVersion = try connection.prepare("SELECT version FROM account WHERE id = ?1")
        updateChallenge = try connection.prepare(
            "UPDATE challenge SET version = version + 1, body = ?2 WHERE id = ?1 AND version = ?3")
        updateAccount = try connection.prepare(
            "UPDATE account SET version = version + 1, body = ?2 WHERE id = ?1 AND version = ?3")
        insertOutbox = try connection.prepare("INSERT INTO outbox(id, version, body, due) VALUES(?1, 1, ?2, ?3)")
        insertEvent = try connection.prepare("INSERT INTO event(id, body) VALUES(?1, ?2)")
    }

    /// One verification cycle of `client`: code issued, then code submitted; two durable transactions.
    func cycle(client: Int, iteration: Int) throws(SQLiteError) {
        try issueCode(client: client, iteration: iteration)
        try submitCode(client: client, iteration: iteration)
    }

    /// The first transaction of a cycle: the challenge gets a new code, the message is queued.
    func issueCode(client: Int, iteration: Int) throws(SQLiteError) {
        let challengeID = "chl-\(client)"
        guard let version = try challengeVersion.integer([challengeID]) else { throw missing(challengeID) }
        try transaction { () throws(SQLiteError) in
            try updateChallenge.run([challengeID, Payloads.challenge(client, version: version + 1), version])
            guard connection.changes == 1 else { throw conflict(challengeID) }
            try insertOutbox.run([
                "msg-\(client)-\(iteration)", Payloads.outbox(client, message: iteration),
                Payloads.due(client, message: iteration),
            ])
            try insertEvent.run([
                "evt-\(client)-\(iteration)-issued", Payloads.event(client, kind: "codeIssued", serial: iteration),
            ])
        }
    }

    /// The second transaction of a cycle: the code is accepted, the account's e-mail becomes verified.
    func submitCode(client: Int, iteration: Int) throws(SQLiteError) {
        let challengeID = "chl-\(client)"
        let accountID = Payloads.accountID(client)
        guard let challenge = try challengeVersion.integer([challengeID]) else { throw missing(challengeID) }
        guard let account = try accountVersion.integer([accountID]) else { throw missing(accountID) }
        try transaction { () throws(SQLiteError) in
            try updateChallenge.run([challengeID, Payloads.challenge(client, version: challenge + 1), challenge])
            guard connection.changes == 1 else { throw conflict(challengeID) }
            try updateAccount.run([accountID, Payloads.account(client, version: account + 1), account])
            guard connection.changes == 1 else { throw conflict(accountID) }
            try insertEvent.run([
                "evt-\(client)-\(iteration)-verified", Payloads.event(client, kind: "emailVerified", serial: iteration),
            ])
        }
    }

    private func transaction(_ body: () throws(SQLiteError) -> Void) throws(SQLiteError) {
        try begin.run([])
        do {
            try body()
            try commit.run([])
        } catch {
            try? rollback.run([])
            throw error
        }
    }

    private func missing(_ id: String) -> SQLiteError { SQLiteError(status: -1, message: "row \(id) missing") }
    private func conflict(_ id: String) -> SQLiteError { SQLiteError(status: -1, message: "version conflict on \(id)") }
}

/// One SQLite connection shared by all client threads, one transaction at a time, the way GRDB's
/// `DatabasePool` serializes its writes: clients queue on a lock instead of SQLite's busy handler.
final class SharedSQLiteWriter: Sendable {
    private let cycle: Mutex<SQLiteCycle>

    init(path: String) throws(SQLiteError) { cycle = Mutex(try SQLiteCycle(path: path)) }

    func cycle(client: Int, iteration: Int) throws(SQLiteError) {
        try cycle.withLock { (cycle) throws(SQLiteError) in try cycle.issueCode(client: client, iteration: iteration) }
        try cycle.withLock { (cycle) throws(SQLiteError) in try cycle.submitCode(client: client, iteration: iteration) }
    }
}
