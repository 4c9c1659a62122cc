import DapodikCrypto

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

    /// Puts `value` at `key` with its index entries, expecting the record at `version`, or that it
    /// does not exist when `version` is `nil`.
    mutating func put<Value: StoredRecord>(_ value: Value, at key: StoredKey<Value>, replacing version: UInt64?)
        throws
    {
        mutations.append(try .put(value, at: key, replacing: version))
    }

    /// Puts `value` at `key` as ``put(_:at:replacing:)`` does, with `indexes` instead of the value's own
    /// index entries: for a record whose indexes depend on its key as well as its value.
    mutating func put<Value: StoredRecord>(
        _ value: Value, at key: StoredKey<Value>, replacing version: UInt64?, indexes: [IndexEntry]
    ) throws {
        mutations.append(
            .put(
                key.recordKey, value: try value.encodedRecord(), indexes: indexes,
                expecting: version.map { .version($0) } ?? .mustNotExist))
    }

    /// Deletes the record at `key`, expecting it at `version`, or whatever its version when `nil`.
    mutating func delete<Value>(_ key: StoredKey<Value>, expecting version: UInt64? = nil) {
        mutations.append(.delete(key.recordKey, expecting: version.map { .version($0) } ?? .any))
    }

    /// Queues `message` in the outbox (it must not exist yet), to be sent right after the commit.
    mutating func enqueue(_ message: OutboxMessage) throws {
        try put(message, replacing: nil)
        queuedMessages.append(message.id)
    }

    mutating func record(
        _ kind: VerificationEvent.Kind, at time: Date, by actor: AccountID?, account: AccountID? = nil,
        school: String? = nil, email: EmailAddress? = nil, detail: String? = nil
    ) {
        events.append(
            StoredEvent(
                id: Crypto.randomUUID(), ordinal: events.count, time: time, actor: actor, kind: kind, account: account,
                school: school,
                email: email, detail: detail))
    }

    /// The mutations, followed by a put of each event.
    func allMutations() throws -> [Mutation] {
        guard !events.isEmpty else { return mutations }
        var all: [Mutation] = []
        all.reserveCapacity(mutations.count + events.count)
        all.append(contentsOf: mutations)
        for event in events { all.append(try .put(event, at: event.storedKey, replacing: nil)) }
        return all
    }
}

extension Batch {
    /// Puts a value that names its own key (``SelfKeyedRecord``).
    mutating func put<Value: SelfKeyedRecord>(_ value: Value, replacing version: UInt64?) throws {
        try put(value, at: value.storedKey, replacing: version)
    }
}

extension Mutation {
    /// A put of `value`'s stored document and index entries at `key`, expecting the record at
    /// `version`, or that it does not exist when `version` is `nil`.
    static func put<Value: StoredRecord>(_ value: Value, at key: StoredKey<Value>, replacing version: UInt64?) throws
        -> Mutation
    {
        .put(
            key.recordKey, value: try value.encodedRecord(), indexes: value.indexEntries,
            expecting: version.map { .version($0) } ?? .mustNotExist)
    }
}
