#if canImport(FoundationEssentials)
    internal import FoundationEssentials
#else
    internal import Foundation
#endif

extension KeyFile.Contents {
    /// The store collection of the check values. The name predates the library's own collections
    /// (it began in the example CLI); stores in use hold it, so it stays.
    static let checkCollection = "cli.keyCheck"

    static func checkKey(_ id: String) -> RecordKey { RecordKey(collection: checkCollection, id: id) }

    /// Makes sure these are the keys `store` has been used with: records the check value of each
    /// generation the first time the store sees it, and compares it with the recorded one after that.
    ///
    /// So a key file restored from another data directory, or made anew under an id the store
    /// already knows, is refused before a code is checked or a queued e-mail opened with the wrong key.
    /// - Parameter store: The store the keys are used with.
    /// - Throws: ``KeyFileError`` with ``KeyFileError/Code/keyMismatch`` when a key differs from the
    ///   one the store recorded; the store's error when it fails. Several processes recording at
    ///   once is not an error: the first record wins and the others compare with it.
    public func verify(against store: some RecordStore) async throws {
        for generation in generations {
            let key = Self.checkKey(generation.id)
            var recorded = try await store.record(for: key).map { String(decoding: $0.value, as: UTF8.self) }
            if recorded == nil {
                do {
                    try await store.commit(
                        .put(key, value: Data(generation.checkValue.utf8), expecting: .mustNotExist))
                    recorded = generation.checkValue
                } catch let error as StoreError where error.isConflict {
                    recorded = try await store.record(for: key).map { String(decoding: $0.value, as: UTF8.self) }
                }
            }
            guard recorded == generation.checkValue else {
                throw KeyFileError(
                    .keyMismatch,
                    indonesian: "Kunci \(generation.id) bukan kunci yang dipakai toko data ini (nilai periksanya "
                        + "berbeda). Pulihkan berkas kunci milik direktori ini dari cadangan; dengan kunci lain kode "
                        + "yang dikirim tidak cocok.",
                    english: "Key \(generation.id) is not the key this store was used with (its check value "
                        + "differs). Restore this directory's own key file from a backup; with another key the "
                        + "codes sent do not match.")
            }
        }
    }
}

extension KeyFile {
    /// The smallest `n` such that the store has never seen a key `k<n>`: the id for a new generation
    /// after the key file was lost (reusing a known id with new material would be refused).
    /// - Parameter store: The store the keys are used with.
    /// - Returns: The number for ``rotate(now:smallestNumber:)``.
    /// - Throws: The store's error when it fails.
    public static func firstUnusedKeyNumber(in store: some RecordStore) async throws -> Int {
        var number = 1
        while try await store.record(for: Contents.checkKey("k\(number)")) != nil { number += 1 }
        return number
    }
}
