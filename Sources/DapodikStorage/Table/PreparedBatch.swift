/// The part of checking and applying a commit that needs no store state, done before a store takes
/// its lock: the keys and index values hashed, and the batch's own unique claims matched against each
/// other. ``CommitPlanning/check(_:)`` then does under the lock only what needs the
/// state (versions, holders of unique values), in the order the unprepared batch would be checked.
///
/// Every array is made at its final size: a commit is prepared on every write, and the allocations of
/// a commit and its preparation were about a fifth of a verification cycle's (`PerformanceHistory.md`, tenth
/// pass).
struct PreparedBatch {
    /// A unique index value a put claims, in batch order.
    struct UniqueClaim {
        /// The claiming mutation's place in the batch.
        var position: Int
        var index: String
        var value: ExactString
        /// The key of an earlier mutation of the same batch claiming the same value, if any: the
        /// claim is then a conflict whatever the store holds.
        var earlierClaimant: RecordKey?
    }

    /// The validated mutations, in batch order.
    let mutations: [Mutation]
    /// Each mutation's key, hashed.
    let keys: [HashedKey]
    /// Each mutation's expectation, and whether it is a put: what checking a version reads, kept apart
    /// so the check under a store's lock copies no `Mutation` (its key, payload and index entries).
    let expectations: [Expectation]
    let isPut: [Bool]
    /// Each put's index values, hashed, in the order of its index entries (empty for a delete).
    let indexValues: [[ExactString]]
    /// The unique index values the puts claim, in batch order.
    let uniqueClaims: [UniqueClaim]

    init(_ mutations: [Mutation]) {
        self.mutations = mutations
        var keys: [HashedKey] = []
        var expectations: [Expectation] = []
        var isPut: [Bool] = []
        var indexValues: [[ExactString]] = []
        keys.reserveCapacity(mutations.count)
        expectations.reserveCapacity(mutations.count)
        isPut.reserveCapacity(mutations.count)
        indexValues.reserveCapacity(mutations.count)
        var uniqueCount = 0
        for mutation in mutations {
            keys.append(HashedKey(mutation.key))
            expectations.append(mutation.expectation)
            guard case .put(_, let indexes) = mutation.kind else {
                isPut.append(false)
                indexValues.append([])
                continue
            }
            isPut.append(true)
            indexValues.append(indexes.map { ExactString($0.value) })
            for entry in indexes where entry.isUnique { uniqueCount += 1 }
        }
        self.keys = keys
        self.expectations = expectations
        self.isPut = isPut
        self.indexValues = indexValues
        uniqueClaims = Self.claims(mutations, indexValues, count: uniqueCount)
    }

    /// The puts' unique claims in batch order, each with the first earlier claimant of its index and
    /// value, if any. A single claim has none to look for; more are matched through one dictionary
    /// of first claimants, made at its final size.
    private static func claims(
        _ mutations: [Mutation], _ indexValues: [[ExactString]], count: Int
    ) -> [UniqueClaim] {
        guard count > 0 else { return [] }
        var claims: [UniqueClaim] = []
        claims.reserveCapacity(count)
        var firstClaimants: [ClaimedValue: RecordKey] = count > 1 ? Dictionary(minimumCapacity: count) : [:]
        for (position, mutation) in mutations.enumerated() {
            guard case .put(_, let indexes) = mutation.kind else { continue }
            for (entry, value) in zip(indexes, indexValues[position]) where entry.isUnique {
                var earlier: RecordKey?
                if count > 1 {
                    let claimed = ClaimedValue(index: ExactString(entry.name), value: value)
                    earlier = firstClaimants[claimed]
                    if earlier == nil { firstClaimants[claimed] = mutation.key }
                }
                claims.append(
                    UniqueClaim(position: position, index: entry.name, value: value, earlierClaimant: earlier))
            }
        }
        return claims
    }

    /// A unique index value, as the batch's claims are matched by it.
    private struct ClaimedValue: Hashable {
        var index: ExactString
        var value: ExactString
    }
}
