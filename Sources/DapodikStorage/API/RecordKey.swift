/// The identity of a record: a collection (`"account"`, `"challenge"`, `"outbox"`, `"event"`) and an
/// identifier unique inside it.
///
/// Keys order by collection, then by identifier, comparing the UTF-8 bytes (as PostgreSQL's `"C"`
/// collation does), so every backend lists records in the same order.
public struct RecordKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The kind of record, such as `"account"`. 1 to ``StoreLimits/maximumCollectionBytes`` UTF-8 bytes.
    public var collection: String
    /// The record's identifier inside its collection. 1 to ``StoreLimits/maximumIdentifierBytes`` UTF-8 bytes.
    public var id: String

    /// Creates a key.
    /// - Parameters:
    ///   - collection: The kind of record.
    ///   - id: The identifier inside the collection.
    public init(collection: String, id: String) {
        self.collection = collection
        self.id = id
    }

    /// Whether two keys are the same, comparing the UTF-8 bytes of collection and identifier.
    ///
    /// Canonically equivalent spellings (`"é"` as one code point or as `e` plus a combining accent) are
    /// different keys, as they are in PostgreSQL and in the file store's files, and as ``<(_:_:)``
    /// orders them.
    /// - Parameters:
    ///   - lhs: A key.
    ///   - rhs: Another key.
    /// - Returns: Whether both have the same bytes.
    public static func == (lhs: RecordKey, rhs: RecordKey) -> Bool {
        utf8Equal(lhs.id, rhs.id) && utf8Equal(lhs.collection, rhs.collection)
    }

    /// Hashes the UTF-8 bytes of collection and identifier, consistently with ``==(_:_:)``.
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hashUTF8(collection, into: &hasher)
        hashUTF8(id, into: &hasher)
    }

    /// `collection/id`, for messages and logs.
    public var description: String { "\(collection)/\(id)" }

    /// Orders keys by collection, then identifier, by their UTF-8 bytes.
    /// - Parameters:
    ///   - lhs: A key.
    ///   - rhs: Another key.
    /// - Returns: Whether `lhs` sorts before `rhs`.
    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        if !utf8Equal(lhs.collection, rhs.collection) {
            return utf8Precedes(lhs.collection, rhs.collection)
        }
        return utf8Precedes(lhs.id, rhs.id)
    }
}

/// Whether `a` sorts before `b` by UTF-8 bytes, the order every store uses for index values and keys.
///
/// Native strings are compared as byte buffers (the index structures compare on every insert, under
/// the store's lock); the element-wise comparison of the views is the fallback with the same result.
func utf8Precedes(_ a: String, _ b: String) -> Bool {
    let bytewise = a.utf8.withContiguousStorageIfAvailable { left in
        b.utf8.withContiguousStorageIfAvailable { right in
            for index in 0..<min(left.count, right.count) where left[index] != right[index] {
                return left[index] < right[index]
            }
            return left.count < right.count
        }
    }
    return (bytewise ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
}
