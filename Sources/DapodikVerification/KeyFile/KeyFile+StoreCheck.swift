#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
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
                    indonesian:
                        "Kunci \(generation.id) bukan kunci yang dipakai penyimpanan data ini (nilai periksanya "
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
    /// The keys to use with `store`: reads the file, or creates it (one generation `k1`) when the
    /// store has never been used with keys, and checks them against the store
    /// (``Contents/verify(against:)``).
    ///
    /// Whether the store is new is decided by what it recorded, not by where it lives, so a file
    /// store and a database are treated alike: a store holding the check value of `k1` has been used
    /// with keys (every store records `k1` first: a first file and a rotation after a loss
    /// (``firstUnusedKeyNumber(in:)``) both start there). For such a store a missing file is refused
    /// rather than made anew, which would make every code sent and every queued e-mail useless.
    /// - Parameters:
    ///   - store: The store the keys are used with.
    ///   - now: The creation time recorded for a new generation.
    /// - Returns: The generations in the file, checked against the store.
    /// - Throws: ``KeyFileError`` with ``KeyFileError/Code/missingForUsedStore`` when the file is
    ///   missing but the store has been used with keys (nothing is written then), as
    ///   ``readOrCreate(now:)`` and ``Contents/verify(against:)`` otherwise; the store's error when
    ///   it fails.
    public func readOrCreate(for store: some RecordStore, now: Date = Date()) async throws -> Contents {
        if !exists, try await store.record(for: Contents.checkKey("k1")) != nil {
            throw KeyFileError(
                .missingForUsedStore,
                indonesian:
                    "Berkas kunci \(url.path) tidak ada, padahal penyimpanan datanya ada dan sudah dipakai dengan "
                    + "kunci. Pulihkan berkas itu dari cadangan, atau buat kunci baru dengan rotasi kunci (kode yang "
                    + "sudah dikirim tidak berlaku lagi); tidak ada yang ditulis.",
                english: "The key file \(url.path) is missing although the store exists and was used with keys. "
                    + "Restore the file from a backup, or make new keys by rotating them (codes already sent stop "
                    + "working); nothing was written.")
        }
        let keys = try readOrCreate(now: now)
        try await keys.verify(against: store)
        return keys
    }

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
