#if PostgreSQL
    import DapodikStorage
    import Logging
    import PostgresNIO

    extension PostgresRecordStore {
        /// Runs `body` on a pooled connection within the operation timeout, and turns every failure
        /// into a ``DapodikStorage/StoreError``.
        func perform<Result: Sendable>(
            _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
        ) async throws(StoreError) -> Result {
            do {
                return try await performUnclassified(body)
            } catch {
                throw Self.storeError(for: error)
            }
        }

        /// As ``perform(_:)``, with the failure as postgres-nio or the time limit threw it.
        func performUnclassified<Result: Sendable>(
            _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
        ) async throws -> Result {
            let client = self.client
            let logger = self.logger
            return try await withTimeLimit(configuration.operationTimeout) {
                try await client.withConnection { connection in try await body(connection, logger) }
            }
        }

        /// Whether the server itself answered with this error: then the statement, and the transaction
        /// of a single-statement commit, certainly failed.
        static func isServerReply(_ error: any Error) -> Bool {
            (error as? PSQLError)?.code == .server || error is StoreError
        }

        /// The store's error for a failure of postgres-nio, of the server, or of the time limit.
        static func storeError(for error: any Error) -> StoreError {
            switch error {
            case let error as StoreError:
                return error
            case is TimeLimitExceeded:
                return .unavailable("batas waktu habis / timed out")
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
