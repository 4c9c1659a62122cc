import BenchmarkHarness
import DapodikStorage
import Foundation

/// The verification cycle's two commits on a ``RecordStore``, equal to ``SQLiteCycle``'s two transactions:
/// the same reads, the same conditional writes, the same bytes, the same secondary indexes.
///
/// 1. Code issued: read the challenge; commit the challenge expecting its version, the outbox message
///    (indexed by due time) and the event, both expected not to exist.
/// 2. Code submitted: read the challenge and the account; commit both expecting their versions (the
///    account with its unique e-mail and username and its school index) and the event.
struct StoreCycle: Sendable {
    let store: any RecordStore

    /// Writes the account and the open challenge of clients `0..<clients`.
    func prepare(clients: Int) async throws {
        for client in 0..<clients {
            try await store.commit([
                .put(
                    accountKey(client), value: Data(Payloads.account(client, version: 1)),
                    indexes: accountIndexes(client), expecting: .mustNotExist),
                .put(
                    challengeKey(client), value: Data(Payloads.challenge(client, version: 1)), expecting: .mustNotExist),
            ])
        }
    }

    /// One verification cycle of `client`.
    func cycle(client: Int, iteration: Int) async throws {
        try await issueCode(client: client, iteration: iteration)
        try await submitCode(client: client, iteration: iteration)
    }

    func issueCode(client: Int, iteration: Int) async throws {
        guard let challenge = try await store.record(for: challengeKey(client)) else {
            throw ClientFailure(description: "challenge of client \(client) missing")
        }
        try await store.commit([
            .put(
                challengeKey(client), value: Data(Payloads.challenge(client, version: Int(challenge.version) + 1)),
                expecting: .version(challenge.version)),
            .put(
                RecordKey(collection: "outbox", id: "msg-\(client)-\(iteration)"),
                value: Data(Payloads.outbox(client, message: iteration)),
                indexes: [.nonUnique("outbox.due", Payloads.due(client, message: iteration))],
                expecting: .mustNotExist),
            .put(
                RecordKey(collection: "event", id: "evt-\(client)-\(iteration)-issued"),
                value: Data(Payloads.event(client, kind: "codeIssued", serial: iteration)), expecting: .mustNotExist),
        ])
    }

    func submitCode(client: Int, iteration: Int) async throws {
        guard let challenge = try await store.record(for: challengeKey(client)),
            let account = try await store.record(for: accountKey(client))
        else { throw ClientFailure(description: "records of client \(client) missing") }
        try await store.commit([
            .put(
                challengeKey(client), value: Data(Payloads.challenge(client, version: Int(challenge.version) + 1)),
                expecting: .version(challenge.version)),
            .put(
                accountKey(client), value: Data(Payloads.account(client, version: Int(account.version) + 1)),
                indexes: accountIndexes(client), expecting: .version(account.version)),
            .put(
                RecordKey(collection: "event", id: "evt-\(client)-\(iteration)-verified"),
                value: Data(Payloads.event(client, kind: "emailVerified", serial: iteration)), expecting: .mustNotExist),
        ])
    }

    private func challengeKey(_ client: Int) -> RecordKey { RecordKey(collection: "challenge", id: "chl-\(client)") }
    private func accountKey(_ client: Int) -> RecordKey {
        RecordKey(collection: "account", id: Payloads.accountID(client))
    }
}

/// The secondary keys of an account record: unique e-mail and username, and its school.
func accountIndexes(_ n: Int) -> [IndexEntry] {
    [
        .unique("account.email", Payloads.email(n)),
        .unique("account.username", Payloads.username(n)),
        .nonUnique("account.school", Payloads.npsn(n)),
    ]
}
