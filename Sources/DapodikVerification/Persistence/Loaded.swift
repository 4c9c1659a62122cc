/// A decoded record with the version to expect when it is written back.
struct Loaded<Value> {
    var value: Value
    var version: UInt64
    var sequence: UInt64
}

extension Loaded: Sendable where Value: Sendable {}

extension Loaded where Value: StoredRecord {
    /// Decodes `record`'s document, keeping its version and sequence.
    /// - Throws: ``UnreadableRecord`` naming the record when its document does not decode.
    init(decoding record: Record) throws {
        self.init(
            value: try UnreadableRecord.decoding(record) { try Value.decodedRecord($0.value, version: $0.version) },
            version: record.version, sequence: record.sequence)
    }
}
