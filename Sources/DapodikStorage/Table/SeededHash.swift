/// A hashed dictionary's or set's hash of a value whose hash was computed beforehand: the stored hash
/// mixed with the collection's per-instance seed.
///
/// Why: `Dictionary` and `Set` ask a key for `_rawHashValue(seed:)`, whose default feeds the stored
/// `Int` through a fresh SipHash (seeding, one round, finalization) on every lookup, insert and
/// growth: about a tenth of the time under the in-memory store's lock went there. The stored hash is
/// already SipHash of the value under the process's random key, so it needs only to be made different
/// per collection (a collection copied into another with a different seed must not keep its clusters):
/// MurmurHash3's 64-bit finalizer over `hash ^ seed` makes every output bit depend on every input bit,
/// the low bits the buckets are taken from included. It is a bijection, so distinct stored hashes stay
/// distinct.
/// - Parameters:
///   - hash: The value's stored hash.
///   - seed: The collection's seed.
/// - Returns: The hash the collection places the value by.
@inline(__always)
func seededHash(_ hash: Int, seed: Int) -> Int {
    var mixed = UInt64(truncatingIfNeeded: hash ^ seed)
    mixed ^= mixed >> 33
    mixed &*= 0xff51_afd7_ed55_8ccd
    mixed ^= mixed >> 33
    mixed &*= 0xc4ce_b9fe_1a85_ec53
    mixed ^= mixed >> 33
    return Int(truncatingIfNeeded: mixed)
}
