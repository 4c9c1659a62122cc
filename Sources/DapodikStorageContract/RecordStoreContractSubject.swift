public import DapodikStorage

/// A store under test: a fresh, empty ``DapodikStorage/RecordStore`` and what else it can do.
public struct RecordStoreContractSubject: Sendable {
    /// The store, empty: no commit has been made to it.
    public let store: any RecordStore
    /// Summarizes the store's history the way ``DapodikStorage/InMemoryRecordStore/compact()`` does,
    /// or `nil` when the store does not compact (then ``RecordStoreContract/compactionChecks`` do not
    /// apply to it).
    public let compact: (@Sendable () async throws -> Void)?

    /// Creates a subject.
    /// - Parameters:
    ///   - store: A fresh, empty store.
    ///   - compact: The store's compaction, if it has one.
    public init(store: any RecordStore, compact: (@Sendable () async throws -> Void)? = nil) {
        self.store = store
        self.compact = compact
    }
}
