/// A record key with its hash computed once, when it is made.
///
/// The tables key their records by it so that a commit or a read can hash its keys before it takes a
/// store's lock: inside, a lookup, an insert and a dictionary's growth (which moves every key) feed one
/// `Int` to the hasher instead of the key's bytes.
struct HashedKey: Hashable, Sendable {
    /// The key.
    let key: RecordKey
    /// `key`'s hash (its UTF-8 bytes, as ``RecordKey/hash(into:)`` feeds them).
    private let keyHash: Int

    init(_ key: RecordKey) {
        self.key = key
        keyHash = key.hashValue
    }

    static func == (lhs: HashedKey, rhs: HashedKey) -> Bool { lhs.keyHash == rhs.keyHash && lhs.key == rhs.key }

    func hash(into hasher: inout Hasher) { hasher.combine(keyHash) }

    /// The hash `Dictionary` and `Set` place the key by: the stored hash mixed with their seed, without
    /// a SipHash per lookup (see ``seededHash(_:seed:)``).
    func _rawHashValue(seed: Int) -> Int { seededHash(keyHash, seed: seed) }
}
