#if PostgreSQL
    import DapodikStorage
    import DapodikLanguage
    import Logging
    import PostgresNIO

    extension PostgresRecordStore {
        /// Runs `body`, which must be safe to run again (a read, or one transaction), on a pooled
        /// connection within the operation timeout, and turns every failure into a
        /// ``DapodikStorage/StoreError``.
        ///
        /// When the connection ends under `body` (an administrator's `pg_terminate_backend`, a failover,
        /// a commit's settling, while it sat in the pool), `body` runs again on another connection.
        func perform<Result: Sendable>(
            _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
        ) async throws(StoreError) -> Result {
            let began = ContinuousClock.now
            do {
                return try await performUnclassified(repeatable: true, body)
            } catch {
                throw await explainedStoreError(for: error, began: began)
            }
        }

        /// The store's error for `error`; for an operation that found no working connection (it ran out
        /// of time, or its connections ended: the pool retries a refused login until then), the refused
        /// login behind it when the server says so (``LoginRefusalCheck``). A failure the server itself
        /// answered (a serialization failure, too many connections) asks nothing more.
        /// - Parameters:
        ///   - error: What the operation failed with.
        ///   - began: When the operation began.
        func explainedStoreError(for error: any Error, began: ContinuousClock.Instant) async -> StoreError {
            let storeError = Self.storeError(for: error)
            guard storeError.code == .unavailable, !Self.isServerReply(error), let loginCheck else { return storeError }
            return await loginCheck.refusal(since: began, logger: logger) ?? storeError
        }

        /// As ``perform(_:)``, with the failure as postgres-nio or the time limit threw it.
        ///
        /// A pool can hand out a connection the server has just ended before it has seen it close: a
        /// connection found closed before `body` runs is given back unused and another one taken. When
        /// `repeatable`, `body` also runs again after its connection ended under it. At most once per
        /// connection the pool can hold.
        func performUnclassified<Result: Sendable>(
            repeatable: Bool = false,
            _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
        ) async throws -> Result {
            let client = self.client
            let logger = self.logger
            let attempts = configuration.client.options.maximumConnections + 1
            return try await withTimeLimit(configuration.operationTimeout) {
                var attempt = 1
                while true {
                    do {
                        return try await client.withConnection { connection in
                            guard !connection.isClosed else { throw Retry(error: ConnectionEnded()) }
                            do {
                                return try await whileOpen(connection) { try await body(connection, logger) }
                            } catch let error where repeatable && Self.connectionEnded(error) {
                                throw Retry(error: error)
                            }
                        }
                    } catch let retry as Retry {
                        guard attempt < attempts else { throw retry.error }
                        // The pool drops a closed connection once its close reaches the pool's event loop.
                        try await Task.sleep(for: .milliseconds(attempt))
                        attempt += 1
                    }
                }
            }
        }

        /// Whether the connection ended under the statement (closed or reset by the server, or closed
        /// by the client after the server said its process was ended: SQLSTATE 57P01, 57P02), rather
        /// than the statement failing.
        static func connectionEnded(_ error: any Error) -> Bool {
            guard let error = error as? PSQLError else { return error is ConnectionEnded }
            switch error.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown: return true
            default: break
            }
            guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return false }
            return state == "57P01" || state == "57P02"
        }

        /// Whether the server itself answered with this error: then the statement, and the transaction
        /// of a single-statement commit, certainly failed. A server process ended by an administrator
        /// says so too, but it may have been ended after its transaction committed: not a reply.
        static func isServerReply(_ error: any Error) -> Bool {
            ((error as? PSQLError)?.code == .server && !connectionEnded(error)) || error is StoreError
        }

        /// The store's error for a failure of postgres-nio, of the server, or of the time limit.
        static func storeError(for error: any Error) -> StoreError {
            switch error {
            case let error as StoreError:
                return error
            case is TimeLimitExceeded:
                return .unavailable(LocalizedText(indonesian: "batas waktu habis", english: "timed out"))
            case is ConnectionEnded:
                return .unavailable(
                    LocalizedText(indonesian: "koneksi sudah ditutup", english: "the connection was closed"))
            case let error as PSQLError:
                return storeError(for: error)
            default:
                return .unavailable(String(describing: type(of: error)))
            }
        }

        private static func storeError(for error: PSQLError) -> StoreError {
            guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
                return .unavailable(error.code.description)
            }
            let message = error.serverInfo?[.message] ?? ""
            if let conflict = conflict(state: state, detail: error.serverInfo?[.detail]) { return conflict }
            switch state {
            case "23505":
                // The primary key of unique_entries: the database's own word that a value is taken.
                return .uniqueConstraint(
                    index: error.serverInfo?[.constraintName] ?? "unique_entries",
                    key: RecordKey(collection: "?", id: "?"), holder: RecordKey(collection: "?", id: "?"))
            case "22021", "22P05", "54000", "22001":
                return .invalidInput(
                    "PostgreSQL menolak nilai: \(message)", "PostgreSQL refused a value: \(message)")
            case _ where state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57"):
                return .unavailable("SQLSTATE \(state)")
            case "40001", "40P01":
                return .unavailable("SQLSTATE \(state)")
            default:
                return .databaseFailure("SQLSTATE \(state): \(message)")
            }
        }

        /// The conflict `commit_batch` raised (DV001, DV002, DV003), from its JSON detail.
        private static func conflict(state: String, detail: String?) -> StoreError? {
            guard state.hasPrefix("DV"), let detail,
                let fields = try? JSONDecoder().decode(ConflictDetail.self, from: Data(detail.utf8))
            else { return nil }
            let key = RecordKey(collection: fields.c, id: fields.i)
            switch state {
            case "DV001":
                return .versionMismatch(key, expected: fields.e ?? 0, actual: fields.a)
            case "DV002":
                return .alreadyExists(key, version: fields.a ?? 0)
            case "DV003":
                return .uniqueConstraint(
                    index: fields.n ?? "", key: key, holder: RecordKey(collection: fields.hc ?? "", id: fields.hi ?? "")
                )
            default:
                return nil
            }
        }
    }

    /// A connection that was closed when the pool handed it out (nothing was sent on it), or that
    /// ended under a statement safe to repeat: the operation goes again on another connection.
    private struct Retry: Error {
        var error: any Error
    }

    /// The JSON detail of a conflict raised by `commit_batch`.
    private struct ConflictDetail: Decodable {
        var c: String
        var i: String
        var e: UInt64?
        var a: UInt64?
        var n: String?
        var hc: String?
        var hi: String?
    }

    #if canImport(FoundationEssentials)
        import FoundationEssentials
    #else
        import Foundation
    #endif
#endif
