#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// One write in a commit: a put or a delete of one key, under an ``Expectation``.
public struct Mutation: Sendable, Hashable {
    /// What the mutation does.
    public enum Kind: Sendable, Hashable {
        /// Store `value` with `indexes` under the key (create or replace).
        case put(value: Data, indexes: [IndexEntry])
        /// Remove the key.
        case delete
    }

    /// The key written.
    public var key: RecordKey
    /// What is written.
    public var kind: Kind
    /// The condition on the key's current state.
    public var expectation: Expectation

    /// Creates a mutation.
    /// - Parameters:
    ///   - key: The key written.
    ///   - kind: A put or a delete.
    ///   - expectation: The condition on the key's current state.
    public init(key: RecordKey, kind: Kind, expectation: Expectation) {
        self.key = key
        self.kind = kind
        self.expectation = expectation
    }

    /// A put: creates the record (version 1) or replaces it (version + 1).
    /// - Parameters:
    ///   - key: The key written.
    ///   - value: The new payload.
    ///   - indexes: The record's secondary keys after the put (they replace the old ones).
    ///   - expecting: The condition on the key's current state; `.mustNotExist` for an insert,
    ///     `.version(n)` for a compare-and-swap.
    /// - Returns: The mutation.
    public static func put(
        _ key: RecordKey, value: Data, indexes: [IndexEntry] = [], expecting: Expectation
    ) -> Mutation {
        Mutation(key: key, kind: .put(value: value, indexes: indexes), expectation: expecting)
    }

    /// A delete. Deleting a missing key under `.any` or `.mustNotExist` is not an error and changes
    /// nothing, so deletes can be retried.
    /// - Parameters:
    ///   - key: The key removed.
    ///   - expecting: The condition on the key's current state.
    /// - Returns: The mutation.
    public static func delete(_ key: RecordKey, expecting: Expectation) -> Mutation {
        Mutation(key: key, kind: .delete, expectation: expecting)
    }
}
