import DapodikLocking
import DapodikStorageContract
import DapodikVerification
import Testing

/// A store whose `n`-th call (a read, a query or a commit) fails with an I/O error once it is armed,
/// as a disk or a database connection that fails in the middle of an operation: run an operation
/// with the failure at each of its calls in turn to see that none of them leaves a partial change.
final class FailingAtCallStore: ForwardingRecordStore {
    let base: any RecordStore
    /// The numbers of the calls to fail (1 = the first after arming), and how many were made.
    private let state = LockedValue((failing: ClosedRange<Int>?.none, calls: 0, code: StoreError.Code.ioFailure))

    init(_ base: any RecordStore) { self.base = base }

    /// Fails the `call`-th store call from now on (`nil`: fail none, only count) with an error of
    /// `code` (an I/O failure unless told).
    func arm(failingCall call: Int?, with code: StoreError.Code = .ioFailure) {
        state.withLock { $0 = (call.map { $0...$0 }, 0, code) }
    }

    /// Fails every store call numbered in `calls` from now on (1 = the first), with an error of `code`:
    /// an outage that lasts several calls.
    func arm(failingCalls calls: ClosedRange<Int>, with code: StoreError.Code) {
        state.withLock { $0 = (calls, 0, code) }
    }

    /// The calls made since the store was last armed.
    var calls: Int { state.withLock { $0.calls } }

    /// Runs `operation` with the failure at its first store call, then at its second, and so on,
    /// until a run makes fewer calls than the number armed and so succeeds: the operation under a
    /// failure at each of its calls in turn, then once whole.
    ///
    /// After each failed run, `checkNothingChanged` sees the call that failed and the error thrown,
    /// to check that the run left no partial change. The successful run must have made exactly the
    /// calls before the one armed (a test issue otherwise), so the failures covered all of them.
    /// - Parameters:
    ///   - limit: The most runs; reaching it without success is a test issue and throws.
    ///   - operation: The operation, on a service whose store is this one.
    ///   - checkNothingChanged: Called after each failed run with the failing call's number and the error.
    /// - Returns: The successful run's result, and how many runs failed (the operation's store calls).
    func failingEachCall<Result, Failure: Error>(
        atMost limit: Int = 50,
        of operation: () async throws(Failure) -> Result,
        checkNothingChanged: (_ call: Int, _ error: Failure) async throws -> Void
    ) async throws -> (result: Result, failedRuns: Int) {
        for call in 1...limit {
            arm(failingCall: call)
            do {
                let result = try await operation()
                #expect(calls == call - 1, "the successful run made \(calls) store calls, not \(call - 1)")
                arm(failingCall: nil)
                return (result, call - 1)
            } catch {
                try await checkNothingChanged(call, error)
            }
        }
        arm(failingCall: nil)
        Issue.record("the operation failed at each of its first \(limit) store calls: it never succeeded")
        throw StoreError(
            .ioFailure, message: LocalizedText(indonesian: "Tidak pernah berhasil.", english: "Never succeeded."))
    }

    private func next() throws {
        let failure = state.withLock { state in
            state.calls += 1
            return state.failing?.contains(state.calls) == true ? state.code : nil
        }
        if let failure {
            throw StoreError(
                failure, message: LocalizedText(indonesian: "Disk gagal.", english: "The disk failed."))
        }
    }

    func record(for key: RecordKey) async throws -> Record? {
        try next()
        return try await base.record(for: key)
    }

    func record(whereUnique index: String, equals value: String) async throws -> Record? {
        try next()
        return try await base.record(whereUnique: index, equals: value)
    }

    func records(where index: String, equals value: String) async throws -> [Record] {
        try next()
        return try await base.records(where: index, equals: value)
    }

    func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
        try next()
        return try await base.records(in: index, from: lower, to: upper, limit: limit)
    }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        try next()
        return try await base.commit(mutations)
    }

    func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        try next()
        return try await base.changes(after: sequence, limit: limit)
    }
}
