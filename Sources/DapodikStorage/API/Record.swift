#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A stored record: its key, its opaque value, its secondary keys, and where it stands in history.
public struct Record: Sendable, Hashable {
    /// The record's identity.
    public var key: RecordKey
    /// 1 when the record is created, one more on every later put. Deleting and re-creating a key
    /// starts again at 1, as a row re-inserted into a SQL table would.
    public var version: UInt64
    /// The payload (the service stores JSON); the store never looks inside.
    public var value: Data
    /// The record's secondary keys.
    public var indexes: [IndexEntry]
    /// The sequence number of the commit that last wrote the record.
    public var sequence: UInt64

    /// Creates a record.
    /// - Parameters:
    ///   - key: The record's identity.
    ///   - version: The record's version.
    ///   - value: The payload.
    ///   - indexes: The secondary keys.
    ///   - sequence: The sequence of the commit that last wrote it.
    public init(key: RecordKey, version: UInt64, value: Data, indexes: [IndexEntry], sequence: UInt64) {
        self.key = key
        self.version = version
        self.value = value
        self.indexes = indexes
        self.sequence = sequence
    }
}
