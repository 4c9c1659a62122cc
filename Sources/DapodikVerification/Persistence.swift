// How the service's models map onto the generic record store: one JSON document per record
// (sorted keys, dates as seconds since 1970 so they round-trip exactly), with the collections and
// secondary indexes below.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The collections the service writes.
enum Collections {
    static let school = "school"
    static let account = "account"
    static let challenge = "challenge"
    static let outbox = "outbox"
    static let event = "event"
    static let throttle = "throttle"
    static let addressQuota = "addressQuota"
    static let wrongCodes = "wrongCodes"
    static let staffCheckQuota = "staffCheckQuota"
    /// One record per login identifier (a lower-cased username or a canonical address), keyed by
    /// it and naming its account: usernames and addresses share one namespace, which the store
    /// enforces by "must not exist" on these keys.
    static let loginIdentifier = "loginIdentifier"
}

/// The secondary indexes the service writes.
enum Indexes {
    /// Unique: an account's canonical e-mail address (one account per mailbox).
    static let accountEmail = "account.email"
    /// Unique: an account's lower-cased username.
    static let accountUsername = "account.username"
    /// Non-unique: the NPSN of an account's school.
    static let accountSchool = "account.schoolNPSN"
    /// Unique: the account of the one open challenge it may have.
    static let openChallenge = "challenge.open"
    /// Non-unique: the account of every challenge, open or closed.
    static let challengeAccount = "challenge.account"
    /// Non-unique, ordered: `<due time, 15 digits of milliseconds>|<id>` for messages that still
    /// need work; absent once a message is handed over, failed, expired or cancelled.
    static let outboxDue = "outbox.due"
    /// Non-unique: the challenge a code message belongs to.
    static let outboxChallenge = "outbox.challenge"

    /// The fixed-width, lexicographically ordered form of a due time.
    static func dueValue(_ date: Date, id: String) -> String {
        dueBound(date) + "|" + id
    }

    /// The upper bound of due values at or before `date`.
    static func dueBound(_ date: Date) -> String {
        let milliseconds = max(0, Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
        let digits = String(milliseconds)
        return String(repeating: "0", count: max(0, 15 - digits.count)) + digits
    }
}

extension RecordKey {
    init(_ collection: String, _ id: String) { self.init(collection: collection, id: id) }
}

/// A decoded record with the version to expect when it is written back.
struct Loaded<Value> {
    var value: Value
    var version: UInt64
    var sequence: UInt64
}

extension Loaded where Value: Decodable {
    /// Decodes `record`'s JSON document, keeping its version and sequence.
    init(decoding record: Record) throws {
        self.init(
            value: try Codec.decode(Value.self, from: record.value), version: record.version, sequence: record.sequence)
    }
}

enum Codec {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return try encoder.encode(value)
    }

    /// The instants a stored record may carry: 1970 to the end of 9999. Outside them a date is
    /// damaged data, refused here so no arithmetic on it (milliseconds for the due index, say)
    /// can overflow.
    static let storedDates = 0.0...253_402_300_799.0

    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let seconds = try container.decode(Double.self)
            guard storedDates.contains(seconds) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "date out of range")
            }
            return Date(timeIntervalSince1970: seconds)
        }
        return try decoder.decode(type, from: data)
    }
}

extension RecordStore {
    func load<Value: Decodable>(_ type: Value.Type, _ key: RecordKey) async throws -> Loaded<Value>? {
        guard let record = try await record(for: key) else { return nil }
        return try Loaded(decoding: record)
    }

    func load<Value: Decodable>(_ type: Value.Type, whereUnique index: String, equals value: String) async throws
        -> Loaded<Value>?
    {
        guard let record = try await record(whereUnique: index, equals: value) else { return nil }
        return try Loaded(decoding: record)
    }

    func loadAll<Value: Decodable>(_ type: Value.Type, where index: String, equals value: String) async throws
        -> [Loaded<Value>]
    {
        try await records(where: index, equals: value).map { try Loaded(decoding: $0) }
    }
}

extension Mutation {
    /// A put of `value` as JSON, expecting `loaded`'s version (or that the record does not exist).
    static func put(
        _ key: RecordKey, _ value: some Encodable, indexes: [IndexEntry] = [], replacing version: UInt64?
    ) throws -> Mutation {
        .put(
            key, value: try Codec.encode(value), indexes: indexes,
            expecting: version.map { .version($0) } ?? .mustNotExist)
    }
}

/// Whether a store error means "someone else changed it first": re-read and re-decide.
func isConflict(_ error: any Error) -> Bool {
    guard let error = error as? StoreError else { return false }
    return error.code == .versionMismatch || error.code == .alreadyExists || error.code == .uniqueConstraint
}
