#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The mutations of one state change and the events describing it, committed together.
struct Batch {
    var mutations: [Mutation] = []
    var events: [StoredEvent] = []
    /// Outbox messages this batch queues, to send right after the commit.
    var queuedMessages: [UUID] = []

    mutating func put(
        _ collection: String, _ id: String, _ value: some Encodable, indexes: [IndexEntry] = [],
        replacing version: UInt64?
    ) throws {
        mutations.append(try .put(RecordKey(collection, id), value, indexes: indexes, replacing: version))
    }

    mutating func record(
        _ kind: VerificationEvent.Kind, at time: Date, by actor: AccountID?, account: AccountID? = nil,
        school: String? = nil, email: EmailAddress? = nil, detail: String? = nil
    ) {
        events.append(
            StoredEvent(
                id: UUID(), ordinal: events.count, time: time, actor: actor, kind: kind, account: account,
                school: school,
                email: email, detail: detail))
    }

    func allMutations() throws -> [Mutation] {
        try mutations + events.map { try .put(RecordKey(Collections.event, $0.id.uuidString), $0, replacing: nil) }
    }
}
