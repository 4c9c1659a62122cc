// The sync feed and audit trail.
extension VerificationService {
    /// The events after `cursor`, in commit order: the Dapodik sync feed and the audit trail.
    ///
    /// A consumer keeps the ``VerificationEvent/cursor`` of the last event it processed and asks
    /// again from there; it sees, for example, every ``VerificationEvent/Kind/emailVerified`` once,
    /// in order. Events are never changed or removed, so a cursor stays valid forever.
    /// - Parameters:
    ///   - cursor: The position after which to read; ``EventCursor/start`` for everything.
    ///   - limit: The most events to return (at least 1).
    /// - Returns: Up to `limit` events, oldest first; empty when the consumer is up to date.
    /// - Throws: ``VerificationError/Code/storage`` if the store fails. An empty feed is *not* an
    ///   error.
    public func events(after cursor: EventCursor = .start, limit: Int = 500) async throws(VerificationError)
        -> [VerificationEvent]
    {
        try await perform {
            let limit = max(1, limit)
            var events: [VerificationEvent] = []
            var sequence = cursor.sequence == 0 ? 0 : cursor.sequence - 1
            while events.count < limit {
                let batches = try await store.changes(after: sequence, limit: 256)
                guard let last = batches.last else { break }
                for batch in batches {
                    let stored = try batch.puts.filter { $0.key.collection == StoredEvent.collection }
                        .map { try StoredEvent.decodedRecord($0.value, version: $0.version) }
                        .sorted { $0.ordinal < $1.ordinal }
                    for event in stored {
                        let item = VerificationEvent(
                            sequence: batch.sequence, ordinal: event.ordinal, time: event.time, actor: event.actor,
                            kind: event.kind, account: event.account, school: event.school, email: event.email,
                            detail: event.detail)
                        if item.cursor > cursor, events.count < limit { events.append(item) }
                    }
                }
                sequence = last.sequence
            }
            return events
        }
    }
}
