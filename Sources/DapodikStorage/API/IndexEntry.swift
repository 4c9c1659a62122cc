/// A secondary key of a record, through which the record can be found without its ``RecordKey``.
///
/// A unique entry (`"account.email"` = `"guru@example.sch.id"`) belongs to at most one record in the
/// store: a commit that would give the same unique name and value to two records fails with
/// ``StoreError/Code-swift.struct/uniqueConstraint``. A non-unique entry (`"account.school"` =
/// `"20100101"`, `"outbox.due"` = `"<fixed-width time>|<id>"`) may be shared and can be listed by
/// equality or by range.
///
/// Unique and non-unique entries are separate name spaces: ``RecordStore/record(whereUnique:equals:)``
/// finds only unique entries, ``RecordStore/records(where:equals:)`` and
/// ``RecordStore/records(in:from:to:limit:)`` only non-unique ones.
public struct IndexEntry: Hashable, Sendable, Codable {
    /// The index's name, such as `"account.email"`. 1 to ``StoreLimits/maximumIndexNameBytes`` UTF-8 bytes;
    /// at most one entry of a name per record.
    public var name: String
    /// The value under which the record is found. At most ``StoreLimits/maximumIndexValueBytes``
    /// UTF-8 bytes; values compare by their UTF-8 bytes.
    public var value: String
    /// Whether at most one record may hold this name and value.
    public var isUnique: Bool

    /// Creates an index entry.
    /// - Parameters:
    ///   - name: The index's name.
    ///   - value: The value under which the record is found.
    ///   - isUnique: Whether at most one record may hold this name and value.
    public init(name: String, value: String, isUnique: Bool) {
        self.name = name
        self.value = value
        self.isUnique = isUnique
    }

    /// A unique entry: at most one record holds `name` = `value`.
    /// - Parameters:
    ///   - name: The index's name, such as `"account.email"`.
    ///   - value: The value, such as a canonical e-mail address.
    /// - Returns: The entry.
    public static func unique(_ name: String, _ value: String) -> IndexEntry {
        IndexEntry(name: name, value: value, isUnique: true)
    }

    /// A non-unique entry: any number of records may hold `name` = `value`.
    /// - Parameters:
    ///   - name: The index's name, such as `"account.school"`.
    ///   - value: The value, such as an NPSN.
    /// - Returns: The entry.
    public static func nonUnique(_ name: String, _ value: String) -> IndexEntry {
        IndexEntry(name: name, value: value, isUnique: false)
    }
}
