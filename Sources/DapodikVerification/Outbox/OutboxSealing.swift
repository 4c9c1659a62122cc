import DapodikCodes
import DapodikCrypto

/// The keys that seal and open codes in the outbox (``CodeSeal``) and tag the messages' return
/// addresses, keyed once per service.
///
/// Each seal and each opening is two HMACs (the keystream and the tag); keying an HMAC absorbs two
/// padded key blocks, and a code key's outbox subkey is itself an HMAC. Prepared here when the
/// service is created, the work per seal is only the messages' own. The configuration cannot change
/// after that (``VerificationService/configuration`` is a constant), so these never go stale.
///
/// The keyed states are secret: `description` and reflection show only the key identifiers.
struct OutboxSealing: Sendable, CustomStringConvertible, CustomReflectable {
    /// The outbox subkey (``VerificationService/outboxSealPurpose``) of every active code key.
    private let derived: [CodeKeyID: HMACSHA256]
    /// The configured explicit seal keys (``OutboxSealKey``), in the configuration's order.
    private let explicit: [(id: String, key: HMACSHA256)]
    /// The return-address subkey (``VerificationService/returnPathPurpose``) of every active code key,
    /// which tags each message's envelope sender (``VerificationService/returnPath(for:)``).
    private let returnPath: [CodeKeyID: HMACSHA256]

    init(keyRing: CodeKeyRing, explicitKeys: [OutboxSealKey]) {
        var derived: [CodeKeyID: HMACSHA256] = [:]
        for id in keyRing.activeKeyIDs {
            if let subkey = keyRing.subkey(for: VerificationService.outboxSealPurpose, of: id) {
                derived[id] = HMACSHA256(key: subkey)
            }
        }
        self.derived = derived
        explicit = explicitKeys.map { ($0.id, HMACSHA256(key: $0.material)) }
        var returnPath: [CodeKeyID: HMACSHA256] = [:]
        for id in keyRing.activeKeyIDs {
            if let subkey = keyRing.subkey(for: VerificationService.returnPathPurpose, of: id) {
                returnPath[id] = HMACSHA256(key: subkey)
            }
        }
        self.returnPath = returnPath
    }

    /// The return-address subkey of the code key `id`, `nil` once that key is retired.
    func returnPathKey(of id: CodeKeyID) -> HMACSHA256? { returnPath[id] }

    /// The subkey of the code key `id`, `nil` once that key is retired (not in the ring).
    func subkey(of id: CodeKeyID) -> HMACSHA256? { derived[id] }

    /// The first configured explicit seal key: the one that seals, when there is any.
    var firstExplicitKey: (id: String, key: HMACSHA256)? { explicit.first }

    /// The explicit seal key named `id`, if configured.
    func explicitKey(_ id: String) -> HMACSHA256? { explicit.first { $0.id == id }?.key }

    var description: String {
        "OutboxSealing(codeKeys: \(derived.keys.sorted()), sealKeys: \(explicit.map(\.id)), keys: <redacted>)"
    }

    var customMirror: Mirror {
        Mirror(
            self, children: ["codeKeys": derived.keys.sorted(), "sealKeys": explicit.map(\.id)], displayStyle: .struct)
    }
}
