internal import DapodikLocking

/// Runs the PBKDF2 derivations of tasks that need one at the same time two at once on one core.
///
/// With x86-64 SHA-NI one core derives two keys in about the time of one (their compressions
/// interleaved, `PerformanceHistory.md`, sixteenth pass), but logins arrive one by one, each from its own
/// task. So a task that needs a derivation while another task is deriving alone does not take a
/// thread of its own: it leaves its derivation here and suspends, and the deriving task takes it as
/// its second lane at its next chunk boundary (every ``chunkIterations`` iterations, well under a
/// millisecond). When either lane finishes, its owner gets its key back; if the finished lane was
/// the deriving task's own, the other lane goes back to its owner, which goes on deriving it (and
/// may take a partner of its own). A derivation is therefore never left waiting for longer than one
/// chunk, and no task waits for another's derivation to end.
///
/// Every task that derives here counts as a *solo driver* while it derives one lane; a task leaves
/// its derivation only when there are more solo drivers than derivations already left, so each one
/// left has a driver that will take it. When a solo driver finishes with derivations still left, it
/// hands one back to its owner to derive.
///
/// A suspended task's cancellation does not end its wait: its derivation goes on in the other lane
/// and ends as soon as it would have alone.
package final class PBKDF2Pairing: Sendable {
    /// The engine every login of the process shares: pairing with x86-64 SHA-NI, where two lanes
    /// gain; elsewhere every derivation runs alone on its caller's thread, as before.
    package static let shared = PBKDF2Pairing(
        implementation: .preferred, pairs: SHA256Implementation.preferred.interleavesTwoDerivations)

    /// The default ``chunkIterations``: about a third of a millisecond of one core on the hosts
    /// measured, so a derivation left here waits that long at most.
    package static let defaultChunkIterations = 4_096

    /// The compression function the lanes run.
    package let implementation: SHA256Implementation
    /// Whether derivations are paired at all; when `false` each runs alone on its caller's thread.
    package let pairs: Bool
    /// How many iterations a driver runs between two looks for a derivation to take.
    package let chunkIterations: Int

    /// Called by a driver after each chunk it ran alone, outside the lock, with this engine: for
    /// tests, to hold a driver at that point until another task has left its derivation.
    private let afterSoloChunk: (@Sendable (PBKDF2Pairing) -> Void)?

    private let state = LockedValue(Coordination())

    /// An engine.
    /// - Parameters:
    ///   - implementation: The compression function; ``SHA256Implementation/preferred`` in use.
    ///   - pairs: Whether to pair; tests pair on any implementation to check the coordination
    ///     (where two lanes do not interleave, they run one after the other, with the same keys).
    ///   - chunkIterations: Iterations between two looks for a partner; at least 1.
    ///   - afterSoloChunk: For tests: called by a driver after each chunk it ran alone.
    package init(
        implementation: SHA256Implementation, pairs: Bool, chunkIterations: Int = defaultChunkIterations,
        afterSoloChunk: (@Sendable (PBKDF2Pairing) -> Void)? = nil
    ) {
        precondition(chunkIterations >= 1, "a chunk is at least one iteration")
        self.afterSoloChunk = afterSoloChunk
        self.implementation = implementation
        self.pairs = pairs
        self.chunkIterations = chunkIterations
    }

    /// What has been paired so far, for tests and benchmarks.
    package var statistics: Statistics { state.withLock { $0.statistics } }

    /// How many tasks derive one lane right now (and will take a partner at their next chunk
    /// boundary), for tests.
    package var soloDriverCount: Int { state.withLock { $0.soloDrivers } }

    /// Whether no task derives alone and no derivation is left here: true again once every task has
    /// its key, for tests.
    package var isIdle: Bool { state.withLock { $0.soloDrivers == 0 && $0.left.isEmpty } }

    /// Counts of what the engine did since it was made.
    package struct Statistics: Sendable, Equatable {
        /// Derivations a task left here to be taken by another.
        package var left = 0
        /// Derivations left here by a task and taken by another as its second lane.
        package var taken = 0
        /// Derivations handed back to their owner to derive, their partner's lane having ended first
        /// or no partner having come.
        package var handedBack = 0
        /// Iterations run with two lanes at once (counted once per pair).
        package var pairedIterations = 0
    }

    /// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), paired with other tasks' derivations when they overlap.
    /// - Parameters:
    ///   - password: The password bytes, of any length.
    ///   - salt: The salt bytes, of any length.
    ///   - iterations: The iteration count c, at least 1.
    ///   - length: The derived key length dkLen in bytes, at least 1.
    /// - Returns: `length` derived bytes: those of
    ///   ``Crypto/pbkdf2SHA256(password:salt:iterations:length:implementation:)``.
    /// - Precondition: `iterations >= 1 && length >= 1`; anything else is a programming error.
    package func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) async -> [UInt8] {
        guard pairs else {
            return Crypto.pbkdf2SHA256(
                password: password, salt: salt, iterations: iterations, length: length,
                implementation: implementation)
        }
        precondition(iterations >= 1 && length >= 1, "PBKDF2 needs at least one iteration and one byte")
        let prf = HMACSHA256(key: password, implementation: implementation)
        var derived: [UInt8] = []
        derived.reserveCapacity(length + SHA256.digestSize)
        var blockIndex: UInt32 = 1
        while derived.count < length {
            let first = Crypto.pbkdf2FirstBlock(prf, salt: salt, index: blockIndex)
            let lane = Lane(
                inner: prf.innerKeyState, outer: prf.outerKeyState, u: first, t: first, remaining: iterations - 1)
            let finished = await derive(lane)
            derived.append(contentsOf: SHA256.bytes(of: finished.t).prefix(length - derived.count))
            blockIndex += 1
        }
        return derived
    }

    /// One output block's iterations still to run, with everything needed to run them.
    struct Lane: Sendable {
        let inner: SHA256.State
        let outer: SHA256.State
        var u: SHA256.State
        var t: SHA256.State
        var remaining: Int
    }

    /// What a suspended task is resumed with.
    enum Handoff: Sendable {
        /// Its lane, run to the end by another task.
        case finished(Lane)
        /// Its lane, partly run, to go on deriving itself.
        case drive(Lane)
    }

    /// A derivation left here, and how to resume its task.
    struct Left: Sendable {
        var lane: Lane
        let owner: CheckedContinuation<Handoff, Never>
    }

    /// The state shared by the tasks, under the lock.
    struct Coordination {
        /// Tasks deriving one lane, who will look for a partner at their next chunk boundary.
        var soloDrivers = 0
        /// Derivations left here, oldest first; never more than ``soloDrivers``.
        var left: [Left] = []
        var statistics = Statistics()
    }

    /// Runs `lane` to its end, here or as another task's second lane.
    private func derive(_ lane: Lane) async -> Lane {
        guard lane.remaining > 0 else { return lane }
        let handoff = await withCheckedContinuation { (owner: CheckedContinuation<Handoff, Never>) in
            let leaves = state.withLock { shared in
                guard shared.left.count < shared.soloDrivers else {
                    shared.soloDrivers += 1
                    return false
                }
                shared.left.append(Left(lane: lane, owner: owner))
                shared.statistics.left += 1
                return true
            }
            if !leaves { owner.resume(returning: .drive(lane)) }
        }
        switch handoff {
        case .finished(let lane): return lane
        case .drive(let lane): return drive(lane)
        }
    }

    /// Derives `own` to its end as a solo driver (already counted in ``Coordination/soloDrivers``),
    /// taking derivations left here as second lanes meanwhile.
    private func drive(_ own: Lane) -> Lane {
        var own = own
        var partner: Left?
        while true {
            if var taken = partner {
                let count = min(chunkIterations, own.remaining, taken.lane.remaining)
                run(&own, &taken.lane, count: count)
                let ownDone = own.remaining == 0
                let takenDone = taken.lane.remaining == 0
                partner = state.withLock { shared in
                    shared.statistics.pairedIterations += count
                    if ownDone {
                        // The partner goes on alone, unless it is done too.
                        if !takenDone {
                            shared.soloDrivers += 1
                            shared.statistics.handedBack += 1
                        }
                        return nil
                    }
                    guard takenDone else { return taken }
                    if let next = takeLeft(&shared) { return next }
                    shared.soloDrivers += 1
                    return nil
                }
                if takenDone {
                    taken.owner.resume(returning: .finished(taken.lane))
                } else if ownDone {
                    taken.owner.resume(returning: .drive(taken.lane))
                }
                if ownDone { return own }
            } else {
                let count = min(chunkIterations, own.remaining)
                implementation.pbkdf2Iterations(
                    inner: own.inner, outer: own.outer, u: &own.u, t: &own.t, count: count)
                own.remaining -= count
                afterSoloChunk?(self)
                if own.remaining == 0 {
                    let handBack = state.withLock { shared -> Left? in
                        shared.soloDrivers -= 1
                        guard shared.left.count > shared.soloDrivers else { return nil }
                        shared.soloDrivers += 1
                        shared.statistics.handedBack += 1
                        return shared.left.removeFirst()
                    }
                    if let handBack { handBack.owner.resume(returning: .drive(handBack.lane)) }
                    return own
                }
                partner = state.withLock { shared in
                    guard let taken = takeLeft(&shared) else { return nil }
                    shared.soloDrivers -= 1
                    return taken
                }
            }
        }
    }

    /// The oldest derivation left here, counted as taken, or `nil`.
    private func takeLeft(_ shared: inout Coordination) -> Left? {
        guard !shared.left.isEmpty else { return nil }
        shared.statistics.taken += 1
        return shared.left.removeFirst()
    }

    /// Runs `count` iterations of both lanes at once.
    private func run(_ first: inout Lane, _ second: inout Lane, count: Int) {
        var u = (first.u, second.u)
        var t = (first.t, second.t)
        implementation.pbkdf2Iterations(
            inner: (first.inner, second.inner), outer: (first.outer, second.outer), u: &u, t: &t, count: count)
        (first.u, second.u) = u
        (first.t, second.t) = t
        first.remaining -= count
        second.remaining -= count
    }
}
