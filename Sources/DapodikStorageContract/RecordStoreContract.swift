import DapodikStorage

/// The contract every ``DapodikStorage/RecordStore`` keeps, as checks a store's own tests run against
/// that store, in the way swift-nio's `NIOTestUtils` verifiers check a decoder.
///
/// Each ``Check`` takes a fresh, empty store (a ``RecordStoreContractSubject``) and throws a
/// ``RecordStoreContractViolation`` naming the rule that did not hold. The checks depend on no test
/// framework; with Swift Testing, run them as one parameterized test:
///
/// ```swift
/// @Test(arguments: RecordStoreContract.checks)
/// func contract(check: RecordStoreContract.Check) async throws {
///     try await check.run(on: RecordStoreContractSubject(store: try await makeEmptyStore()))
/// }
/// ```
///
/// A store that can summarize its history (``DapodikStorage/InMemoryRecordStore/compact()``,
/// ``DapodikStorage/FileRecordStore/compact()``) also runs ``compactionChecks``.
public enum RecordStoreContract {
    /// One rule of the contract, checked against a fresh, empty store.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the rule says, as a sentence ("a put creates version 1, …").
        public let name: String
        private let body: @Sendable (RecordStoreContractSubject) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (RecordStoreContractSubject) async throws -> Void) {
            self.name = name
            self.body = body
        }

        /// Checks the rule against a store.
        /// - Parameter subject: A fresh, empty store, used by this check only.
        /// - Throws: ``RecordStoreContractViolation`` when the store breaks the rule; any error the
        ///   store throws where the rule expects none is passed on unchanged.
        public func run(on subject: RecordStoreContractSubject) async throws {
            try await body(subject)
        }

        /// The rule's ``name``.
        public var description: String { name }
    }

    /// The rules every store keeps: versions and sequences, failed expectations, unique and
    /// non-unique indexes, deletes, bad input, the change feed, single use under concurrency and
    /// gapless sequences for concurrent commits.
    public static let checks: [Check] =
        basicChecks + indexChecks + invalidInputChecks + feedChecks + concurrencyChecks

    /// The rules of compaction, for a store whose subject has a ``RecordStoreContractSubject/compact``
    /// action: every live record stays in the feed at the sequence of its last write.
    public static let compactionChecks: [Check] = [changeFeedAcrossCompaction]
}
