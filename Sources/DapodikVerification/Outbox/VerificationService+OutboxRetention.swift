import DapodikStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// One outbox message per e-mail, every campaign: kept for ever, they would grow the store (and the
// file store's memory and opening time) year after year. A message done with is needed only by a bounce
// that may still come back about it, and by its account's delivery status while its challenge is the
// account's latest. So each message carries, once done with, an index entry of when
// (`outbox.finishedAt`), and every dispatcher round removes a bounded batch of those past
// `DispatchOptions.retention`, in one commit of its own; the code request and submission do no more
// work than before.
extension VerificationService {
    /// Removes up to ``DispatchOptions/batchSize`` outbox messages done with for longer than
    /// ``DispatchOptions/retention`` at `time`, in one commit; each ``drainOutbox()`` round calls it.
    ///
    /// The index is only where to look; each message found is judged as it is now:
    /// - a message that still needs work (none should be listed) is written back with its own index
    ///   entries, and one that does not decode keeps its bytes and its other entries: neither is removed;
    /// - a notice of an address change is removed: no status reads it;
    /// - a code message is removed unless its challenge is one whose messages its account's delivery
    ///   status reads (``challengesReadByStatus(of:)``: the newest code's state, an earlier code's
    ///   return); such a message is kept, listed in ``OutboxMessage/keptIndex`` under its account, and
    ///   in ``OutboxMessage/finishedIndex`` at `time`, so that a round looks at it again one retention
    ///   later, when its account may have been verified or removed.
    ///
    /// For each account met, its kept messages whose challenge a later one has replaced are removed too,
    /// unless one of its challenges does not decode (then none of its messages is removed).
    /// Every removal expects the version read, so a bounce recorded meanwhile keeps its message.
    ///
    /// Best effort: a store failure, or a message changed since it was read, ends the round's removals
    /// with nothing committed, and the next round tries again.
    /// - Parameter time: The round's time.
    /// - Returns: How many messages were removed.
    func removeFinishedMessages(at time: Date) async -> Int {
        let cutoff = time.addingTimeInterval(-configuration.dispatch.retention.timeInterval)
        let limit = max(1, configuration.dispatch.batchSize)
        guard
            let found = try? await store.records(
                in: OutboxMessage.finishedIndex.name, from: "", to: OutboxMessage.dueBound(cutoff), limit: limit)
        else { return 0 }
        var batch = Batch()
        var touched = Set<RecordKey>()
        var swept = Set<AccountID>()
        scan: for record in found where batch.mutations.count < limit && touched.insert(record.key).inserted {
            guard let message = try? Loaded<OutboxMessage>(decoding: record).value else {
                let indexes = record.indexes.filter { $0.name != OutboxMessage.finishedIndex.name }
                batch.mutations.append(
                    .put(record.key, value: record.value, indexes: indexes, expecting: .version(record.version)))
                continue
            }
            guard let finished = message.finishedAt, finished <= cutoff else {
                try? batch.put(message, replacing: record.version)
                continue
            }
            guard let challenge = message.codeContent?.challenge else {
                batch.delete(message.storedKey, expecting: record.version)
                continue
            }
            let readByStatus: Set<ChallengeID>
            do {
                readByStatus = try await challengesReadByStatus(of: message.account)
            } catch is StoreError {
                break scan
            } catch {
                // A challenge of the account does not decode: which one the status reads is unknown, so
                // the message is kept, and so are the account's kept messages (none is swept for it).
                readByStatus = [challenge]
                swept.insert(message.account)
            }
            if readByStatus.contains(challenge) {
                // Looked at again one retention from now: by then its account may be verified or gone.
                let indexes =
                    message.indexEntries.filter { $0.name != OutboxMessage.finishedIndex.name }
                    + [
                        OutboxMessage.finishedIndex.entry(OutboxMessage.dueBound(time)),
                        OutboxMessage.keptIndex.entry(message.account.description),
                    ]
                try? batch.put(message, at: message.storedKey, replacing: record.version, indexes: indexes)
            } else {
                batch.delete(message.storedKey, expecting: record.version)
            }
            if swept.insert(message.account).inserted,
                let kept = try? await store.loadAll(where: OutboxMessage.keptIndex, equals: message.account.description)
            {
                for earlier in kept where touched.insert(earlier.value.storedKey.recordKey).inserted {
                    guard let content = earlier.value.codeContent, !readByStatus.contains(content.challenge) else {
                        continue
                    }
                    batch.delete(earlier.value.storedKey, expecting: earlier.version)
                }
            }
        }
        return await commitRemovals(batch)
    }

    /// The challenges of `account` whose messages its delivery status reads: none when the account is
    /// verified or no longer stored (its status reads no message); else the latest, unless it was
    /// verified or cancelled (``statusReadsMessages(of:)``), and the open one (the same, unless clocks
    /// disagree on which was started last).
    /// - Throws: ``StoreError`` when the store fails; another error when the account or a challenge
    ///   does not decode.
    func challengesReadByStatus(of account: AccountID) async throws -> Set<ChallengeID> {
        guard let stored = try await loadAccount(account), !stored.value.isEmailVerified else { return [] }
        let all = try await challenges(of: account)
        var read = Set(all.filter { $0.value.state.isOpen }.map(\.value.id))
        if let latest = Self.latest(of: all), statusReadsMessages(of: latest.value) { read.insert(latest.value.id) }
        return read
    }

    /// Commits `batch`.
    /// - Returns: How many messages the commit removed; 0 when it failed (a message changed since it was
    ///   read, by a bounce or another dispatcher's round): the next round reads them afresh.
    private func commitRemovals(_ batch: Batch) async -> Int {
        guard !batch.mutations.isEmpty, (try? await commit(batch)) != nil else { return 0 }
        return batch.mutations.filter { $0.kind == .delete }.count
    }
}
