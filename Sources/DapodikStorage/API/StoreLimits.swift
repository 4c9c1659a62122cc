#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The sizes every store accepts, so that a batch valid for one backend is valid for all.
///
/// The bounds keep one record of the file format within fixed-width length fields and one commit in
/// memory; they are far above what the service writes (a JSON account is under 2 KiB). Names,
/// identifiers and index values hold no U+0000: PostgreSQL's text cannot.
public enum StoreLimits {
    /// The longest collection name, in UTF-8 bytes (a one-byte length field).
    public static let maximumCollectionBytes = 255
    /// The longest record identifier, in UTF-8 bytes.
    public static let maximumIdentifierBytes = 1024
    /// The longest index name, in UTF-8 bytes (a one-byte length field).
    public static let maximumIndexNameBytes = 255
    /// The longest index value, in UTF-8 bytes.
    public static let maximumIndexValueBytes = 1024
    /// The most index entries one record may have.
    public static let maximumIndexesPerRecord = 32
    /// The largest value, in bytes: 16 MiB.
    public static let maximumValueBytes = 16 << 20
    /// The most mutations in one commit.
    public static let maximumMutationsPerCommit = 10_000
    /// The most bytes of values in one commit: 64 MiB.
    public static let maximumCommitBytes = 64 << 20

    /// Checks a batch against the limits and its own consistency, before any state is consulted.
    /// - Parameter mutations: The batch.
    /// - Throws: ``StoreError`` with ``StoreError/Code-swift.struct/invalidInput`` for an empty batch,
    ///   a key twice, an empty or too long name, a U+0000 in a name, identifier or index value, too
    ///   many indexes, two indexes of one name on one record, or a value or batch too large.
    package static func validate(_ mutations: [Mutation]) throws(StoreError) {
        guard !mutations.isEmpty else {
            throw .invalidInput("Tidak ada perubahan untuk disimpan.", "A commit needs at least one mutation.")
        }
        guard mutations.count <= maximumMutationsPerCommit else {
            throw .invalidInput(
                "Terlalu banyak perubahan dalam satu commit (maksimum \(maximumMutationsPerCommit)).",
                "Too many mutations in one commit (at most \(maximumMutationsPerCommit)).")
        }
        // A small batch (every commit of the service) finds a repeated key by comparing it with the
        // keys before it: no set to allocate and no hashing; a large one (a bulk import) keeps a set.
        // Either way a key is refused at its second occurrence, as `RecordKey`'s `==` decides.
        let usesSet = mutations.count > smallBatchMutations
        var keys = usesSet ? Set<RecordKey>(minimumCapacity: mutations.count) : []
        var totalBytes = 0
        for position in mutations.indices {
            let key = mutations[position].key
            let repeated = usesSet ? !keys.insert(key).inserted : mutations[..<position].contains { $0.key == key }
            guard !repeated else {
                throw .invalidInput(
                    "Data \(key) muncul lebih dari sekali dalam satu commit.",
                    "Record \(key) appears more than once in one commit.", key: key)
            }
            try check(key.collection, "collection", max: maximumCollectionBytes, key: key)
            try check(key.id, "id", max: maximumIdentifierBytes, key: key)
            if case .put(let value, let indexes) = mutations[position].kind {
                guard value.count <= maximumValueBytes else {
                    throw .invalidInput(
                        "Nilai data \(key) terlalu besar (maksimum \(maximumValueBytes) byte).",
                        "The value of \(key) is too large (at most \(maximumValueBytes) bytes).", key: key)
                }
                totalBytes += value.count
                try validate(indexes, of: key)
            }
        }
        guard totalBytes <= maximumCommitBytes else {
            throw .invalidInput(
                "Commit terlalu besar (maksimum \(maximumCommitBytes) byte).",
                "The commit is too large (at most \(maximumCommitBytes) bytes).")
        }
    }

    /// Batches of at most this many mutations look for a repeated key without a set.
    private static let smallBatchMutations = 16

    /// Checks one record's index entries: how many, their names' and values' lengths, no name twice
    /// (as `String`'s `==` decides; at most ``maximumIndexesPerRecord`` entries, so comparing each
    /// name with those before it is cheaper than a set).
    private static func validate(_ indexes: [IndexEntry], of key: RecordKey) throws(StoreError) {
        guard indexes.count <= maximumIndexesPerRecord else {
            throw .invalidInput(
                "Data \(key) memiliki terlalu banyak indeks (maksimum \(maximumIndexesPerRecord)).",
                "Record \(key) has too many indexes (at most \(maximumIndexesPerRecord)).", key: key)
        }
        for position in indexes.indices {
            let name = indexes[position].name
            try check(name, "index", max: maximumIndexNameBytes, key: key)
            guard indexes[position].value.utf8.count <= maximumIndexValueBytes else {
                throw .invalidInput(
                    "Nilai indeks \(name) pada \(key) terlalu panjang.",
                    "The value of index \(name) on \(key) is too long.", key: key, index: name)
            }
            guard !holdsNUL(indexes[position].value) else {
                throw .invalidInput(
                    "Nilai indeks \(name) pada \(key) memuat karakter NUL (U+0000).",
                    "The value of index \(name) on \(key) holds a NUL character (U+0000).", key: key, index: name)
            }
            guard !indexes[..<position].contains(where: { utf8Equal($0.name, name) }) else {
                throw .invalidInput(
                    "Indeks \(name) muncul dua kali pada \(key).",
                    "Index \(name) appears twice on \(key).", key: key, index: name)
            }
        }
    }

    /// Whether `text` holds U+0000, a zero byte in UTF-8: one `memchr` over its contiguous bytes (the
    /// generic `contains` of `String.UTF8View` cost 1.7 % of a verification cycle).
    private static func holdsNUL(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, bytes.count) != nil
        } ?? text.utf8.contains(0)
    }

    private static func check(_ text: String, _ field: String, max: Int, key: RecordKey) throws(StoreError) {
        let count = text.utf8.count
        guard count > 0, count <= max else {
            throw .invalidInput(
                "Nama \(field) pada \(key) harus 1 sampai \(max) byte.",
                "The \(field) name of \(key) must be 1 to \(max) bytes.", key: key)
        }
        guard !holdsNUL(text) else {
            throw .invalidInput(
                "Nama \(field) pada \(key) memuat karakter NUL (U+0000).",
                "The \(field) name of \(key) holds a NUL character (U+0000).", key: key)
        }
    }
}
