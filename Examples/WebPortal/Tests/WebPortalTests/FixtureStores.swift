import Synchronization
import Testing

/// What the portal fixtures of one test opened and must close when the test ends: a PostgreSQL
/// store's connections (``PortalFixture/defaultStore()``), which would otherwise stay open until the
/// test process ends, one pool per fixture of every test that ran before.
final class FixtureStores: Sendable {
    /// The stores of the test running in this task, set by the ``ClosesFixtureStores`` trait.
    @TaskLocal static var current: FixtureStores?

    private let closers = Mutex<[@Sendable () async -> Void]>([])

    /// Keeps `close` to run when the test ends.
    func add(_ close: @escaping @Sendable () async -> Void) {
        closers.withLock { $0.append(close) }
    }

    /// Runs `body` with a new ``current``, then closes what was added to it, newest first, whether
    /// `body` returned or threw.
    static func scope<Value: Sendable>(_ body: @Sendable () async throws -> Value) async throws -> Value {
        let stores = FixtureStores()
        let result: Result<Value, any Error>
        do {
            result = .success(try await $current.withValue(stores) { try await body() })
        } catch {
            result = .failure(error)
        }
        for close in stores.closers.withLock({ $0 }).reversed() { await close() }
        return try result.get()
    }
}

/// Runs each test of a suite within a ``FixtureStores/scope(_:)``, so the stores its fixtures opened
/// are closed when it ends. ``PortalFixture/make(loginThrottle:secureCookies:store:wrongCodeLimits:)``
/// refuses to run outside one, so a suite without this trait fails in every run, not only over PostgreSQL.
struct ClosesFixtureStores: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    /// A scope for each test case only: the suite's own scope would hold nothing.
    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await FixtureStores.scope { try await function() }
    }
}

extension SuiteTrait where Self == ClosesFixtureStores {
    /// Closes the stores each test's portal fixtures opened when the test ends.
    static var closesFixtureStores: Self { Self() }
}
