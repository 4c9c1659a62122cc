// `StoreLimits.validate` as it was before it stopped building sets (issue 15), kept as the oracle of
// `StoreLimitsEquivalenceTests`: verbatim but for one rule changed since, in both: an index name given
// twice on a record is the same bytes twice (names equal only canonically are two indexes).
import DapodikStorage

/// The replaced batch validation.
enum LegacyStoreLimits {
    static func validate(_ mutations: [Mutation]) throws(StoreError) {
        guard !mutations.isEmpty else {
            throw .invalidInput("Tidak ada perubahan untuk disimpan.", "A commit needs at least one mutation.")
        }
        guard mutations.count <= StoreLimits.maximumMutationsPerCommit else {
            throw .invalidInput(
                "Terlalu banyak perubahan dalam satu commit (maksimum \(StoreLimits.maximumMutationsPerCommit)).",
                "Too many mutations in one commit (at most \(StoreLimits.maximumMutationsPerCommit)).")
        }
        var keys = Set<RecordKey>(minimumCapacity: mutations.count)
        var totalBytes = 0
        for mutation in mutations {
            let key = mutation.key
            guard keys.insert(key).inserted else {
                throw .invalidInput(
                    "Data \(key) muncul lebih dari sekali dalam satu commit.",
                    "Record \(key) appears more than once in one commit.", key: key)
            }
            try check(key.collection, "collection", max: StoreLimits.maximumCollectionBytes, key: key)
            try check(key.id, "id", max: StoreLimits.maximumIdentifierBytes, key: key)
            if case .put(let value, let indexes) = mutation.kind {
                guard value.count <= StoreLimits.maximumValueBytes else {
                    throw .invalidInput(
                        "Nilai data \(key) terlalu besar (maksimum \(StoreLimits.maximumValueBytes) byte).",
                        "The value of \(key) is too large (at most \(StoreLimits.maximumValueBytes) bytes).", key: key)
                }
                totalBytes += value.count
                guard indexes.count <= StoreLimits.maximumIndexesPerRecord else {
                    throw .invalidInput(
                        "Data \(key) memiliki terlalu banyak indeks (maksimum \(StoreLimits.maximumIndexesPerRecord)).",
                        "Record \(key) has too many indexes (at most \(StoreLimits.maximumIndexesPerRecord)).", key: key
                    )
                }
                var names = Set<[UInt8]>(minimumCapacity: indexes.count)
                for entry in indexes {
                    try check(entry.name, "index", max: StoreLimits.maximumIndexNameBytes, key: key)
                    guard entry.value.utf8.count <= StoreLimits.maximumIndexValueBytes else {
                        throw .invalidInput(
                            "Nilai indeks \(entry.name) pada \(key) terlalu panjang.",
                            "The value of index \(entry.name) on \(key) is too long.", key: key, index: entry.name)
                    }
                    guard names.insert(Array(entry.name.utf8)).inserted else {
                        throw .invalidInput(
                            "Indeks \(entry.name) muncul dua kali pada \(key).",
                            "Index \(entry.name) appears twice on \(key).", key: key, index: entry.name)
                    }
                }
            }
        }
        guard totalBytes <= StoreLimits.maximumCommitBytes else {
            throw .invalidInput(
                "Commit terlalu besar (maksimum \(StoreLimits.maximumCommitBytes) byte).",
                "The commit is too large (at most \(StoreLimits.maximumCommitBytes) bytes).")
        }
    }

    private static func check(_ text: String, _ field: String, max: Int, key: RecordKey) throws(StoreError) {
        let count = text.utf8.count
        guard count > 0, count <= max else {
            throw .invalidInput(
                "Nama \(field) pada \(key) harus 1 sampai \(max) byte.",
                "The \(field) name of \(key) must be 1 to \(max) bytes.", key: key)
        }
    }
}
