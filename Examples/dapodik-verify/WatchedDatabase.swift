import DapodikLocking
import DapodikVerification
import Foundation

/// The PostgreSQL store as the CLI uses it: a call the database has not answered within a second (a
/// lock another session holds, a server that is busy or restarting) is said once, as a wait for the
/// database, instead of a silent terminal; the file store says its own lock waits.
///
/// Every command is covered, the login before a request too. The words are said while the call is
/// still under way, so they never follow the command's answer.
final class WatchedDatabase: RecordStore {
    /// The store that answers.
    let base: any RecordStore
    /// How long a call goes unanswered before the wait is said.
    private let patience: Duration
    /// Says the wait (on standard error, nothing with `--json`).
    private let sayWaiting: @Sendable () -> Void
    /// The calls under way, and whether the wait has been said (once per command).
    private let state = LockedValue((underWay: Set<Int>(), nextCall: 0, said: false))

    /// Watches `base`, saying a wait with `sayWaiting` after `patience`.
    init(_ base: any RecordStore, patience: Duration = .seconds(1), sayWaiting: @escaping @Sendable () -> Void) {
        self.base = base
        self.patience = patience
        self.sayWaiting = sayWaiting
    }

    /// Runs one call of the store, saying the wait if it outlasts ``patience``.
    private func watching<Value>(_ call: () async throws -> Value) async throws -> Value {
        let number = state.withLock { state in
            state.nextCall += 1
            state.underWay.insert(state.nextCall)
            return state.nextCall
        }
        let timer = Task { [patience] in
            try await Task.sleep(for: patience)
            self.patienceElapsed(forCall: number)
        }
        defer {
            state.withLock { _ = $0.underWay.remove(number) }
            timer.cancel()
        }
        return try await call()
    }

    /// What happens once call `number` has waited ``patience``: the wait is said, if the call is
    /// still under way and nothing was said before. Under the lock the call's end takes too, so it is
    /// never said after the call has returned.
    /// - Parameter number: The call, numbered from 1 in the order the calls began.
    func patienceElapsed(forCall number: Int) {
        state.withLock { state in
            guard state.underWay.contains(number), !state.said else { return }
            state.said = true
            sayWaiting()
        }
    }

    /// The base store's answer, the wait said if it is slow.
    func record(for key: RecordKey) async throws -> Record? {
        try await watching { try await base.record(for: key) }
    }

    /// The base store's answer, the wait said if it is slow.
    func record(whereUnique index: String, equals value: String) async throws -> Record? {
        try await watching { try await base.record(whereUnique: index, equals: value) }
    }

    /// The base store's answer, the wait said if it is slow.
    func records(where index: String, equals value: String) async throws -> [Record] {
        try await watching { try await base.records(where: index, equals: value) }
    }

    /// The base store's answer, the wait said if it is slow.
    func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
        try await watching { try await base.records(in: index, from: lower, to: upper, limit: limit) }
    }

    /// The base store's answer, the wait said if it is slow.
    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        try await watching { try await base.commit(mutations) }
    }

    /// The base store's answer, the wait said if it is slow.
    func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        try await watching { try await base.changes(after: sequence, limit: limit) }
    }

    /// The base store's mark.
    func changeSignalMark(for collection: String) -> ChangeSignalMark { base.changeSignalMark(for: collection) }

    /// Not watched: waiting is what it is for.
    func waitForChanges(in collection: String, since mark: ChangeSignalMark, atMost limit: Duration) async {
        await base.waitForChanges(in: collection, since: mark, atMost: limit)
    }
}
