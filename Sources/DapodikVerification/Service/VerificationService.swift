import DapodikLocking

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs the e-mail verification of Dapodik accounts: schools and operators, PTK accounts, login,
/// codes through a durable outbox, delivery status, the school report and the sync feed.
///
/// The service holds only its immutable ``Configuration``; all state lives in the configured
/// ``RecordStore``. Every state change is one conditional commit (the change, the outbox message
/// and the event together); when another request changed the same records first, the service
/// re-reads and decides again, up to ``Configuration/maximumConflictRetries`` times. So any number
/// of service instances, in one process or many, may share a store.
///
/// Every call that acts for a person takes the ``AccountID`` of the logged-in caller (from
/// ``login(identifier:password:)``) and checks on every call, against the stored account, that
/// the caller may do it.
public final class VerificationService: Sendable {
    /// The configuration the service was created with.
    public let configuration: Configuration
    /// The configuration's outbox seal keys, keyed once (derived from ``configuration``, never stale).
    let outboxSealing: OutboxSealing
    /// The configuration's sender with its From field written once (derived from ``configuration``).
    let preparedSender: PreparedSender
    /// Whether the store's accounts are known to have their mailboxes reserved (once seen, it stays
    /// so: ``requireMailboxesReserved()``).
    let mailboxesKnownReserved = LockedValue(false)

    /// Creates a service.
    /// - Parameter configuration: The store, transport, keys, policies and clock to use.
    public init(configuration: Configuration) {
        self.configuration = configuration
        outboxSealing = OutboxSealing(keyRing: configuration.keyRing, explicitKeys: configuration.outboxSealKeys)
        preparedSender = PreparedSender(Mailbox(configuration.sender, displayName: configuration.senderName))
    }

    var store: any RecordStore { configuration.store }
    var now: Date { configuration.now() }

    /// Runs a public operation: maps every failure to a ``VerificationError``.
    func perform<Result>(_ body: () async throws -> Result) async throws(VerificationError) -> Result {
        do {
            return try await body()
        } catch {
            throw VerificationError.mapping(error)
        }
    }

    /// Reads, decides and commits, again after every conflict with a concurrent change.
    func retryingConflicts<Result>(_ attempt: () async throws -> Result) async throws -> Result {
        for _ in 0..<max(1, configuration.maximumConflictRetries) {
            do {
                return try await attempt()
            } catch let error as StoreError where error.isConflict {
                continue
            }
        }
        throw VerificationError.busy
    }

    /// Commits a batch; returns its sequence.
    @discardableResult
    func commit(_ batch: Batch) async throws -> UInt64 {
        try await store.commit(try batch.allMutations())
    }
}
