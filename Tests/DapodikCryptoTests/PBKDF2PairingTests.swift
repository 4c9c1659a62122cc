import Foundation
import Testing

@testable import DapodikCrypto

// Serialized: a held driver occupies one of the pool's threads until its test's second derivation
// comes, which needs another; two held at once on a two-core machine would wait for each other.
@Suite("PBKDF2 derivations of overlapping tasks, two at once", .serialized)
struct PBKDF2PairingTests {
    /// One derivation's inputs.
    struct Derivation: Sendable {
        let password: [UInt8]
        let salt: [UInt8]
        let iterations: Int
        let length: Int

        /// The key derived alone, the way every other caller derives it.
        func alone(_ implementation: SHA256Implementation) -> [UInt8] {
            Crypto.pbkdf2SHA256(
                password: password, salt: salt, iterations: iterations, length: length, implementation: implementation)
        }

        /// The key derived through `engine`.
        func paired(_ engine: PBKDF2Pairing) async -> [UInt8] {
            await engine.pbkdf2SHA256(password: password, salt: salt, iterations: iterations, length: length)
        }
    }

    /// Random inputs: passwords of 0–100 bytes, salts of 0–40, 1–`maximumIterations` iterations,
    /// keys of 1–65 bytes (one to three output blocks).
    static func randomDerivations(count: Int, maximumIterations: Int) -> [Derivation] {
        (0..<count).map { _ in
            Derivation(
                password: (0..<Int.random(in: 0...100)).map { _ in UInt8.random(in: 0...255) },
                salt: (0..<Int.random(in: 0...40)).map { _ in UInt8.random(in: 0...255) },
                iterations: Int.random(in: 1...maximumIterations), length: Int.random(in: 1...65))
        }
    }

    /// A derivation of many chunks: longer than a test's second derivation and its wait to be taken.
    static func long(times: Int = 1) -> Derivation {
        Derivation(
            password: Array("kata-sandi-panjang".utf8), salt: Array(0..<16), iterations: 50_000 * times, length: 32)
    }

    /// How long a test waits for what should take milliseconds before it fails: long enough for the
    /// other tests of a parallel run to give back the pool's other thread (a held driver occupies one),
    /// on a machine loaded many times over (120 s ran out once for 24 overlapping derivations of one
    /// iteration a chunk, under a load average of 20 on two cores). A hang guard, not a speed test.
    static let patience = Duration.seconds(300)

    /// An engine whose drivers, after each chunk they run alone, wait until some task has left a
    /// derivation with it (for ``patience`` at most): so a test's second derivation always comes while
    /// its first is being derived, however busy the machine.
    static func heldEngine(_ implementation: SHA256Implementation, chunkIterations: Int) -> PBKDF2Pairing {
        PBKDF2Pairing(implementation: implementation, pairs: true, chunkIterations: chunkIterations) { engine in
            let clock = ContinuousClock()
            let deadline = clock.now + patience
            while engine.statistics.left == 0 && clock.now < deadline { usleep(1_000) }
        }
    }

    /// Waits until `engine` has a solo driver, or fails after ``patience``.
    static func waitForADriver(in engine: PBKDF2Pairing) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        while engine.soloDriverCount == 0 {
            try #require(clock.now < deadline, "no solo driver within \(patience)")
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Every derivation through `engine`, each from its own task, all at once.
    static func derive(_ derivations: [Derivation], with engine: PBKDF2Pairing) async -> [[UInt8]] {
        await withTaskGroup(of: (Int, [UInt8]).self) { group in
            for (index, derivation) in derivations.enumerated() {
                group.addTask { (index, await derivation.paired(engine)) }
            }
            var keys = [[UInt8]](repeating: [], count: derivations.count)
            for await (index, key) in group { keys[index] = key }
            return keys
        }
    }

    /// `body`'s value, or `nil` when it has not come within ``patience``: a derivation the engine never
    /// resumes then fails its test instead of hanging the run (its task is left behind).
    static func withinPatience<Value: Sendable>(_ body: @escaping @Sendable () async -> Value) async -> Value? {
        let once = ResumeOnce<Value>()
        return await withCheckedContinuation { continuation in
            Task { await once.resume(continuation, returning: await body()) }
            Task {
                try? await Task.sleep(for: patience)
                await once.resume(continuation, returning: nil)
            }
        }
    }

    /// Resumes a continuation with the first value it is given and ignores the rest.
    actor ResumeOnce<Value: Sendable> {
        private var resumed = false

        func resume(_ continuation: CheckedContinuation<Value?, Never>, returning value: Value?) {
            guard !resumed else { return }
            resumed = true
            continuation.resume(returning: value)
        }
    }

    /// Starts `first`, waits until it is being derived, then derives `second`; checks both keys
    /// against the derivations alone and that the engine is idle afterwards.
    static func deriveSecond(
        _ second: Derivation, whileFirstRuns first: Derivation, with engine: PBKDF2Pairing,
        _ implementation: SHA256Implementation
    ) async throws {
        let firstTask = Task { await first.paired(engine) }
        try await waitForADriver(in: engine)
        let secondKey = try #require(await withinPatience { await second.paired(engine) })
        let firstKey = try #require(await withinPatience { await firstTask.value })
        #expect(secondKey == second.alone(implementation))
        #expect(firstKey == first.alone(implementation))
        #expect(engine.isIdle)
    }

    @Test(
        "many overlapping derivations give the keys each gives alone, and leave the engine idle",
        arguments: SHA256Implementation.available, [1, 7, PBKDF2Pairing.defaultChunkIterations])
    func overlapping(implementation: SHA256Implementation, chunkIterations: Int) async throws {
        let engine = PBKDF2Pairing(implementation: implementation, pairs: true, chunkIterations: chunkIterations)
        let maximumIterations = chunkIterations == 1 ? 300 : 3_000
        let derivations = Self.randomDerivations(count: 24, maximumIterations: maximumIterations)
        let keys = try #require(await Self.withinPatience { await Self.derive(derivations, with: engine) })
        for (derivation, key) in zip(derivations, keys) {
            #expect(
                key == derivation.alone(implementation),
                "\(derivation.iterations) iterations, \(derivation.length) bytes")
        }
        #expect(engine.isIdle)
    }

    @Test(
        "a derivation that comes while another runs alone is taken as its second lane, and ends first",
        arguments: SHA256Implementation.available)
    func taken(implementation: SHA256Implementation) async throws {
        let engine = Self.heldEngine(implementation, chunkIterations: 1_000)
        let first = Self.long()
        let second = Derivation(password: Array("ptk".utf8), salt: [1, 2, 3], iterations: 20_000, length: 32)
        try await Self.deriveSecond(second, whileFirstRuns: first, with: engine, implementation)
        #expect(engine.statistics.taken == 1)
        #expect(engine.statistics.pairedIterations == 19_999)
        #expect(engine.statistics.handedBack == 0)
    }

    @Test(
        "a taken derivation longer than its driver's goes back to its own task when the driver's ends",
        arguments: SHA256Implementation.available)
    func handedBackWhenTheDriverEnds(implementation: SHA256Implementation) async throws {
        let engine = Self.heldEngine(implementation, chunkIterations: 1_000)
        let first = Self.long()
        let second = Self.long(times: 2)
        try await Self.deriveSecond(second, whileFirstRuns: first, with: engine, implementation)
        #expect(engine.statistics.taken == 1)
        #expect(engine.statistics.handedBack == 1)
        #expect(engine.statistics.pairedIterations > 0 && engine.statistics.pairedIterations < first.iterations)
    }

    @Test(
        "a derivation left with a driver that ends without looking again goes back to its own task",
        arguments: SHA256Implementation.available)
    func handedBackWhenNoDriverLooks(implementation: SHA256Implementation) async throws {
        // One chunk holds the whole first derivation: its driver never looks for a partner.
        let engine = Self.heldEngine(implementation, chunkIterations: 100_000_000)
        let first = Self.long()
        let second = Derivation(password: [], salt: [], iterations: 5_000, length: 65)
        try await Self.deriveSecond(second, whileFirstRuns: first, with: engine, implementation)
        #expect(engine.statistics == PBKDF2Pairing.Statistics(left: 1, taken: 0, handedBack: 1, pairedIterations: 0))
    }

    @Test("an engine that does not pair derives each alone on its caller's thread")
    func notPairing() async throws {
        let engine = PBKDF2Pairing(implementation: .preferred, pairs: false, chunkIterations: 1)
        let derivations = Self.randomDerivations(count: 8, maximumIterations: 2_000)
        let keys = try #require(await Self.withinPatience { await Self.derive(derivations, with: engine) })
        #expect(keys == derivations.map { $0.alone(.preferred) })
        #expect(engine.statistics == PBKDF2Pairing.Statistics())
        #expect(engine.isIdle)
    }

    @Test("the shared engine pairs exactly where two lanes interleave: x86-64 with SHA-NI")
    func sharedEngine() {
        #expect(PBKDF2Pairing.shared.pairs == SHA256Implementation.preferred.interleavesTwoDerivations)
        #if arch(x86_64)
            #expect(
                SHA256Implementation.preferred.interleavesTwoDerivations == SHA256Implementation.preferred.isHardware)
        #else
            #expect(!SHA256Implementation.preferred.interleavesTwoDerivations)
        #endif
        #expect(!SHA256Implementation.portable.interleavesTwoDerivations)
    }
}
