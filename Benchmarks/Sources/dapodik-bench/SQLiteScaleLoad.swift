import BenchmarkReport
import Foundation

/// The SQLite peer of `scale-load`: the same account rows (the same bodies, the same unique e-mail and
/// username and the non-unique school) inserted into the cycle's `account` table (primary key, two
/// `UNIQUE` constraints and the school index, all maintained during the load, as the file store
/// maintains its indexes), on a WAL database with `synchronous=FULL`, `batch` rows per transaction,
/// the same number the file store's load takes per batch. The time ends after `sqlite3_close`, which
/// checkpoints the WAL into the database file, so both sides stop with everything in their final files.
enum SQLiteScaleLoad {
    static func run(directory: String, accounts: Int, batch: Int, round: Int) throws -> BenchmarkResult {
        let path = directory + "/national-sqlite.db"
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let connection = try SQLiteConnection(path: path)
            try connection.execute(
                """
                CREATE TABLE account(id TEXT PRIMARY KEY, version INTEGER NOT NULL, body BLOB NOT NULL,
                    email TEXT NOT NULL UNIQUE, username TEXT NOT NULL UNIQUE, school TEXT NOT NULL);
                CREATE INDEX account_school ON account(school);
                """)
            let begin = try connection.prepare("BEGIN")
            let commit = try connection.prepare("COMMIT")
            let insert = try connection.prepare(
                "INSERT INTO account(id, version, body, email, username, school) VALUES(?1, 1, ?2, ?3, ?4, ?5)")
            var next = 0
            while next < accounts {
                let end = min(next + batch, accounts)
                try begin.run([])
                for n in next..<end {
                    try insert.run([
                        Payloads.accountID(n), Payloads.account(n, version: 1), Payloads.email(n), Payloads.username(n),
                        Payloads.npsn(n),
                    ])
                }
                try commit.run([])
                next = end
            }
        }
        let elapsed = (clock.now - start).seconds
        let memory = ProcessMemory.current()
        var bytes: UInt64 = 0
        for suffix in ["", "-wal", "-shm"] {
            if let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? UInt64 {
                bytes += size
            }
        }
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        return BenchmarkResult(
            scenario: "scale.load", variant: "\(accounts) accounts, \(batch) per commit",
            subject: "SQLite \(SQLiteConnection.version)", round: round,
            figures: [
                "accounts": Double(accounts), "seconds": elapsed, "recordsPerSecond": Double(accounts) / elapsed,
                "diskMiB": Double(bytes) / 1_048_576, "loaderVmHWMMiB": memory.highWaterMiB,
            ],
            notes: [
                "settings":
                    "WAL, synchronous=FULL, \(batch) rows per transaction, PRIMARY KEY + 2 UNIQUE + 1 index "
                    + "maintained during the load, time includes the closing checkpoint"
            ])
    }
}
