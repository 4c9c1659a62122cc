/// The part of checking and applying a commit that needs no store state, done before a store takes
/// its lock: the keys and index values hashed, and the batch's own unique claims matched against each
/// other. ``CommitPlanning/check(_:)`` then does under the lock only what needs the
/// state (versions, holders of unique values), in the order the unprepared batch would be checked.
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
        keys = mutations.map { HashedKey($0.key) }
        expectations = mutations.map(\.expectation)
        isPut = mutations.map { mutation in
            if case .put = mutation.kind { return true }
            return false
        }
        var indexValues: [[ExactString]] = []
        indexValues.reserveCapacity(mutations.count)
        var uniqueClaims: [UniqueClaim] = []
        var claimants: [String: [ExactString: RecordKey]] = [:]
        for (position, mutation) in mutations.enumerated() {
            guard case .put(_, let indexes) = mutation.kind else {
                indexValues.append([])
                continue
            }
            let values = indexes.map { ExactString($0.value) }
            indexValues.append(values)
            for (entry, value) in zip(indexes, values) where entry.isUnique {
                let earlier = claimants[entry.name]?[value]
                if earlier == nil { claimants[entry.name, default: [:]][value] = mutation.key }
                uniqueClaims.append(
                    UniqueClaim(position: position, index: entry.name, value: value, earlierClaimant: earlier))
            }
        }
        self.indexValues = indexValues
        self.uniqueClaims = uniqueClaims
    }
}
