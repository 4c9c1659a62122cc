/// A decoded record with the version to expect when it is written back.
struct Loaded<Value> {
    var value: Value
    var version: UInt64
    var sequence: UInt64
}

extension Loaded where Value: StoredRecord {
    /// Decodes `record`'s document, keeping its version and sequence.
    init(decoding record: Record) throws {
        self.init(
            value: try Value.decodedRecord(record.value, version: record.version), version: record.version,
            sequence: record.sequence)
    }
}
