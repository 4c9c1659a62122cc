import DapodikVerification
import Foundation

/// The check values of the code keys a store has been used with, kept in the store itself (one
/// record per key id), so a key file that does not belong to the store is refused before a code is
/// checked or a queued e-mail is opened with the wrong key: a file restored from another data
/// directory, or made anew with `key rotate` under an id the store already knows.
enum KeyCheck {
    /// The store collection of the check values (the library's collections never start with `cli.`).
    static let collection = "cli.keyCheck"

    static func key(_ id: String) -> RecordKey { RecordKey(collection: collection, id: id) }

    /// Records the check value of each key the first time the store sees it, and compares it with
    /// the recorded one afterwards.
    /// - Throws: ``CLIError`` (status 74) when a key's material differs from the one the store was
    ///   used with; a ``StoreError`` when the store fails.
    static func verify(_ keys: SecretKeys, keyFile: URL, store: some RecordStore) async throws {
        for generation in keys.generations {
            guard let check = generation.check else { continue }
            var recorded = try await store.record(for: key(generation.id)).map {
                String(decoding: $0.value, as: UTF8.self)
            }
            if recorded == nil {
                do {
                    try await store.commit(.put(key(generation.id), value: Data(check.utf8), expecting: .mustNotExist))
                    recorded = check
                } catch let error as StoreError where error.isConflict {
                    // Another process recorded it first: compare with what it recorded.
                    recorded = try await store.record(for: key(generation.id)).map {
                        String(decoding: $0.value, as: UTF8.self)
                    }
                }
            }
            guard recorded == check else {
                throw CLIError(
                    .keyMismatch, status: .ioError,
                    indonesian: "Kunci \(generation.id) di \(keyFile.path) bukan kunci yang dipakai toko data ini "
                        + "(nilai periksanya berbeda). Pulihkan berkas secret-keys milik direktori ini dari cadangan; "
                        + "dengan kunci lain kode yang dikirim tidak cocok.",
                    english: "Key \(generation.id) in \(keyFile.path) is not the key this store was used with (its "
                        + "check value differs). Restore this directory's own secret-keys file from a backup; with "
                        + "another key the codes sent do not match.")
            }
        }
    }

    /// The first id `k1`, `k2`, … that the store has never seen, for a deliberate new start after
    /// the key file was lost (reusing a known id with new material would be refused).
    static func firstUnusedID(in store: some RecordStore) async throws -> String {
        var number = 1
        while try await store.record(for: key("k\(number)")) != nil { number += 1 }
        return "k\(number)"
    }
}
