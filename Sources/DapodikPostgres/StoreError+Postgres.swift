#if PostgreSQL
    public import DapodikStorage
    import DapodikLanguage

    extension StoreError.Code {
        /// A commit was sent, and then the connection broke or the time ran out before its result
        /// came back, and the store could not find out afterwards whether it was applied. Retrying the
        /// same batch is safe: its conditions fail if the first attempt was applied (the service then
        /// re-reads and sees its own write). See `Documentation/Operations.md`.
        public static let outcomeUnknown = StoreError.Code("store.outcomeUnknown")
        /// The database refused the request for a reason that is neither a conflict nor transient
        /// (the schema is missing or newer than this program, a permission is missing, …).
        public static let databaseFailure = StoreError.Code("store.databaseFailure")
    }

    extension StoreError {
        /// `unavailable` with a detail that reads the same in both languages (an SQLSTATE, a type name).
        static func unavailable(_ detail: String) -> StoreError {
            unavailable(LocalizedText(indonesian: detail, english: detail))
        }

        static func unavailable(_ detail: LocalizedText) -> StoreError {
            StoreError(
                .unavailable,
                message: LocalizedText(
                    indonesian: "Basis data PostgreSQL tidak dapat dihubungi (\(detail.indonesian)). Tidak ada yang "
                        + "disimpan; coba lagi nanti.",
                    english: "The PostgreSQL database cannot be reached (\(detail.english)). Nothing was saved; "
                        + "try again later."
                ))
        }

        static func outcomeUnknown(_ detail: LocalizedText) -> StoreError {
            StoreError(
                .outcomeUnknown,
                message: LocalizedText(
                    indonesian: "Hasil penyimpanan tidak diketahui: koneksi ke PostgreSQL terputus setelah "
                        + "commit dikirim (\(detail.indonesian)). Mengulang permintaan yang sama aman.",
                    english: "The outcome of the commit is unknown: the connection to PostgreSQL broke after "
                        + "the commit was sent (\(detail.english)). Repeating the same request is safe."
                ))
        }

        /// `databaseFailure` with a detail that reads the same in both languages (an SQLSTATE and the
        /// server's own message).
        static func databaseFailure(_ detail: String) -> StoreError {
            databaseFailure(LocalizedText(indonesian: detail, english: detail))
        }

        static func databaseFailure(_ detail: LocalizedText) -> StoreError {
            StoreError(
                .databaseFailure,
                message: LocalizedText(
                    indonesian: "PostgreSQL menolak permintaan: \(detail.indonesian)",
                    english: "PostgreSQL refused the request: \(detail.english)"
                ))
        }
    }
#endif
