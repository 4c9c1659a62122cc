import CSQLite

/// A thin owner of one SQLite connection and its prepared statements. Used by one thread only: the
/// SQLite clients of a concurrent run each open their own on their own thread.
final class SQLiteConnection {
    private let handle: OpaquePointer

    /// Opens (creating) the database at `path` in WAL mode with `synchronous=FULL`, the setting at which
    /// SQLite makes every committed transaction durable (https://sqlite.org/pragma.html#pragma_synchronous),
    /// and a 30 s busy timeout so concurrent writers queue instead of failing.
    init(path: String) throws(SQLiteError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            throw SQLiteError(status: status, message: "open \(path)")
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, 30_000)
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=FULL")
    }

    deinit { sqlite3_close_v2(handle) }

    /// The library's version, e.g. `3.40.1`.
    static var version: String { String(cString: sqlite3_libversion()) }

    func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard status == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? sql
            sqlite3_free(errorMessage)
            throw SQLiteError(status: status, message: message)
        }
    }

    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status, sql) }
        return SQLiteStatement(statement: statement, connection: self)
    }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ status: Int32, _ context: String) -> SQLiteError {
        SQLiteError(status: status, message: "\(context): \(String(cString: sqlite3_errmsg(handle)))")
    }
}

/// A prepared statement; bind, run, reset.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection

    /// SQLite copies bound text and blobs before `bind` returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds parameters 1… in order: `String` as text, `[UInt8]` as blob, `Int` as integer.
    func bind(_ values: [any Sendable]) throws(SQLiteError) {
        sqlite3_reset(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case let text as String: status = sqlite3_bind_text(statement, index, text, -1, Self.transient)
            case let bytes as [UInt8]:
                status = bytes.withUnsafeBytes {
                    sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), Self.transient)
                }
            case let number as Int: status = sqlite3_bind_int64(statement, index, Int64(number))
            default: status = SQLITE_MISMATCH
            }
            guard status == SQLITE_OK else { throw connection.error(status, "bind \(index)") }
        }
    }

    /// Runs a statement that returns no rows.
    func run(_ values: [any Sendable]) throws(SQLiteError) {
        try bind(values)
        let status = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard status == SQLITE_DONE else { throw connection.error(status, "step") }
    }

    /// Runs a query and returns the first column of its first row as an integer, or nil without a row.
    func integer(_ values: [any Sendable]) throws(SQLiteError) -> Int? {
        try bind(values)
        defer { sqlite3_reset(statement) }
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return Int(sqlite3_column_int64(statement, 0))
        case SQLITE_DONE: return nil
        case let status: throw connection.error(status, "step")
        }
    }
}

/// A failed SQLite call.
struct SQLiteError: Error, CustomStringConvertible {
    var status: Int32
    var message: String
    var description: String { "SQLite error \(status): \(message)" }
}
