/// The condition a ``Mutation`` places on the current state of its key; the whole commit fails
/// unless every condition holds.
///
/// The same check as PostgreSQL's `UPDATE … WHERE version = $n` (zero rows updated is a conflict),
/// DynamoDB's `ConditionExpression`, or a Redis `WATCH`/`MULTI` transaction.
public enum Expectation: Sendable, Hashable {
    /// No condition.
    case any
    /// The key must not exist (an insert).
    case mustNotExist
    /// The key must exist with exactly this version (a compare-and-swap).
    case version(UInt64)
}
