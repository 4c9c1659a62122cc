/// The part of checking and applying a commit that needs no store state, done before a store takes
/// its lock: the keys and index values hashed, and the batch's own unique claims matched against each
/// other. ``CommitPlanning/check(_:)`` then does under the lock only what needs the
/// state (versions, holders of unique values), in the order the unprepared batch would be checked.
///
/// Every array is made at its final size: a commit is prepared on every write, and arrays grown by
/// appending (and dictionaries by inserting) were about a fifth of a cycle's allocations.
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

    /// The puts' unique claims in batch order, each with the earlier claimant of its value, if any.
    private static func claims(
        _ mutations: [Mutation], _ indexValues: [[ExactString]], count: Int
    ) -> [UniqueClaim] {
        guard count > 0 else { return [] }
        var claims: [UniqueClaim] = []
        claims.reserveCapacity(count)
        var finder = EarlierClaimFinder(claimCount: count)
        for (position, mutation) in mutations.enumerated() {
            guard case .put(_, let indexes) = mutation.kind else { continue }
            for (entry, value) in zip(indexes, indexValues[position]) where entry.isUnique {
                let claim = UniqueClaim(
                    position: position, index: entry.name, value: value,
                    earlierClaimant: finder.earlierClaimant(of: entry.name, value, in: claims, of: mutations))
                claims.append(claim)
                finder.record(claim, key: mutation.key)
            }
        }
        return claims
    }
}

/// Finds, for a unique claim, the first earlier claim of the same index and value in its batch.
///
/// A commit claims one or two unique values as a rule: those are compared with each earlier claim,
/// which needs no allocation. A batch of more claims (an import) keeps a dictionary of the first
/// claimant of each value instead, so its check stays linear.
private struct EarlierClaimFinder {
    /// The claim counts up to which earlier claims are compared one by one.
    static let linearSearchLimit = 16

    private struct ClaimedValue: Hashable {
        var index: String
        var value: ExactString
    }

    private var firstClaimants: [ClaimedValue: RecordKey]?

    init(claimCount: Int) {
        if claimCount > Self.linearSearchLimit { firstClaimants = Dictionary(minimumCapacity: claimCount) }
    }

    /// The key of the first earlier claim in `claims` (made by `mutations`) of `index` = `value`, `nil`
    /// when there is none.
    func earlierClaimant(
        of index: String, _ value: ExactString, in claims: [PreparedBatch.UniqueClaim], of mutations: [Mutation]
    ) -> RecordKey? {
        if let firstClaimants { return firstClaimants[ClaimedValue(index: index, value: value)] }
        // Claims of a value already claimed point at the first claimant; the first one is what counts.
        for claim in claims where claim.earlierClaimant == nil && claim.value == value && claim.index == index {
            return mutations[claim.position].key
        }
        return nil
    }

    /// Notes `claim`, made by the mutation of `key`, if it is the first of its value.
    mutating func record(_ claim: PreparedBatch.UniqueClaim, key: RecordKey) {
        guard firstClaimants != nil, claim.earlierClaimant == nil else { return }
        firstClaimants![ClaimedValue(index: claim.index, value: claim.value)] = key
    }
}
