import DapodikLanguage

extension VerificationError.Code {
    /// The cursor passed to ``VerificationService/events(after:limit:)`` names no event of this
    /// store: it came from another store, was written by hand, or the store was restored from a
    /// backup older than the cursor. Nothing was read; the consumer must decide where to resume
    /// (``EventCursor/start`` reads everything again).
    public static let unknownCursor = VerificationError.Code("unknownCursor")
}

extension VerificationError {
    static let unknownCursor = VerificationError(
        .unknownCursor,
        message: LocalizedText(
            indonesian: "Kursor ini tidak menunjuk peristiwa mana pun di penyimpanan ini (dari penyimpanan lain, "
                + "ditulis tangan, atau penyimpanan dipulihkan dari cadangan yang lebih lama). "
                + "Baca dari awal (kursor 0) atau dari kursor yang diberikan penyimpanan ini.",
            english: "This cursor names no event in this store (it is from another store, was written by hand, "
                + "or the store was restored from an older backup). "
                + "Read from the start (cursor 0) or from a cursor this store gave."))
}

// The sync feed and audit trail.
extension VerificationService {
    /// The events after `cursor`, in commit order: the Dapodik sync feed and the audit trail.
    ///
    /// A consumer keeps the ``VerificationEvent/cursor`` of the last event it processed and asks
    /// again from there; it sees, for example, every ``VerificationEvent/Kind/emailVerified`` once,
    /// in order. Events are never changed or removed, so a cursor stays valid forever.
    ///
    /// A cursor other than ``EventCursor/start`` must be one this store gave: one naming no event
    /// here (a store restored from an older backup, where the consumer would otherwise skip every
    /// event until the store caught up with its cursor, silently) is refused.
    /// - Parameters:
    ///   - cursor: The position after which to read; ``EventCursor/start`` for everything.
    ///   - limit: The most events to return (at least 1).
    /// - Returns: Up to `limit` events, oldest first; empty when the consumer is up to date.
    /// - Throws: ``VerificationError/Code/unknownCursor`` for a cursor that names no event of this
    ///   store; ``VerificationError/Code/storage`` if the store fails. An empty feed is *not* an
    ///   error.
    public func events(after cursor: EventCursor = .start, limit: Int = 500) async throws(VerificationError)
        -> [VerificationEvent]
    {
        try await perform {
            let limit = max(1, limit)
            var events: [VerificationEvent] = []
            var sequence = cursor.sequence == 0 ? 0 : cursor.sequence - 1
            // The cursor's own commit comes first in the feed (events are write-once, so compaction
            // keeps it at its sequence) and must hold the cursor's event.
            var cursorSeen = cursor == .start
            while events.count < limit {
                let batches = try await store.changes(after: sequence, limit: 256)
                guard let last = batches.last else { break }
                for batch in batches {
                    let stored = try batch.puts.filter { $0.key.collection == StoredEvent.collection }
                        .map { record in
                            try UnreadableRecord.decoding(record) {
                                try StoredEvent.decodedRecord($0.value, version: $0.version)
                            }
                        }
                        .sorted { $0.ordinal < $1.ordinal }
                    if !cursorSeen {
                        guard batch.sequence == cursor.sequence,
                            stored.contains(where: { $0.ordinal == cursor.ordinal })
                        else { throw VerificationError.unknownCursor }
                        cursorSeen = true
                    }
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
            guard cursorSeen else { throw VerificationError.unknownCursor }
            return events
        }
    }
}
