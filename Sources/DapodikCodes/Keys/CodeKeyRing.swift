/// The keys for code digests: one current key that issues, and every key still accepted.
///
/// Rotation without breaking codes in flight: ``rotating(to:)`` makes a new key current while the
/// old one stays active, so codes issued under it still verify; once those codes have expired
/// (at most ``VerificationPolicy/maximumCodeLifetime`` after rotation), ``retiring(_:)`` removes it
/// and codes issued under it are no longer accepted.
public struct CodeKeyRing: Sendable, CustomStringConvertible, CustomReflectable {
    private let keys: [CodeKeyID: CodeKey]
    /// The identifier of the key that digests new codes.
    public let currentKeyID: CodeKeyID

    /// A ring with a current key and, optionally, older keys still accepted.
    /// - Parameters:
    ///   - current: The key that digests new codes.
    ///   - accepted: Older keys whose codes still verify.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/duplicateKeyID`` when two keys share an
    ///   identifier.
    public init(current: CodeKey, alsoAccepting accepted: [CodeKey] = []) throws(CodeError) {
        var keys = [current.id: current]
        for key in accepted {
            guard keys[key.id] == nil else { throw Self.duplicate(key.id) }
            keys[key.id] = key
        }
        self.keys = keys
        self.currentKeyID = current.id
    }

    private init(keys: [CodeKeyID: CodeKey], currentKeyID: CodeKeyID) {
        self.keys = keys
        self.currentKeyID = currentKeyID
    }

    /// The identifiers of every accepted key, the current one included, in order.
    public var activeKeyIDs: [CodeKeyID] { keys.keys.sorted() }

    /// Whether codes digested with the key `id` are accepted.
    /// - Parameter id: A key identifier, as stored with a digest.
    /// - Returns: `true` while the key is in the ring.
    public func accepts(_ id: CodeKeyID) -> Bool { keys[id] != nil }

    /// A ring whose current key is `newKey`; the previous current key stays accepted.
    /// - Parameter newKey: The key that digests new codes from now on.
    /// - Returns: The new ring; this one is unchanged.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/duplicateKeyID`` when a key of the ring
    ///   already has `newKey`'s identifier (identifiers are never reused, so that a stored digest
    ///   always names the key that made it).
    public func rotating(to newKey: CodeKey) throws(CodeError) -> CodeKeyRing {
        guard keys[newKey.id] == nil else { throw Self.duplicate(newKey.id) }
        var keys = self.keys
        keys[newKey.id] = newKey
        return CodeKeyRing(keys: keys, currentKeyID: newKey.id)
    }

    /// A ring without the key `id`: codes digested with it no longer verify.
    /// - Parameter id: The key to retire.
    /// - Returns: The new ring; this one is unchanged.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/unknownKey`` when no key has that
    ///   identifier, and ``CodeError/Code/cannotRetireCurrentKey`` for the current key.
    public func retiring(_ id: CodeKeyID) throws(CodeError) -> CodeKeyRing {
        guard keys[id] != nil else {
            throw CodeError(
                .unknownKey, indonesian: "Tidak ada kunci dengan ID \(id) di ring kunci.",
                english: "The key ring has no key with the identifier \(id).")
        }
        guard id != currentKeyID else {
            throw CodeError(
                .cannotRetireCurrentKey,
                indonesian: "Kunci yang sedang menerbitkan kode tidak dapat dipensiunkan; ganti ke kunci baru dulu.",
                english: "The key that issues codes cannot be retired; rotate to a new key first.")
        }
        var keys = self.keys
        keys[id] = nil
        return CodeKeyRing(keys: keys, currentKeyID: currentKeyID)
    }

    /// The key that digests new codes.
    var currentKey: CodeKey { keys[currentKeyID]! }

    /// The accepted key with identifier `id`, if any.
    func key(for id: CodeKeyID) -> CodeKey? { keys[id] }

    /// The key identifiers only; no secret is printed.
    public var description: String {
        "CodeKeyRing(current: \(currentKeyID), active: [\(activeKeyIDs.map(\.rawValue).joined(separator: ", "))])"
    }

    /// A reflection showing only key identifiers, so `dump(_:)` and debuggers reveal no secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["currentKeyID": currentKeyID, "activeKeyIDs": activeKeyIDs], displayStyle: .struct)
    }

    private static func duplicate(_ id: CodeKeyID) -> CodeError {
        CodeError(
            .duplicateKeyID, indonesian: "ID kunci \(id) dipakai lebih dari sekali di ring kunci.",
            english: "The key identifier \(id) is used more than once in the key ring.")
    }
}
