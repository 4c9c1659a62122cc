import DapodikCrypto
import DapodikLanguage

/// The secret that seals verification codes while their e-mail waits in the outbox.
///
/// The outbox is durable, so a code must be recoverable by any dispatcher, after a restart, for
/// as long as its message may be retried, yet never readable from the store alone (see
/// ``VerificationService/Configuration/outboxSealKeys``). Keep it with the code keys: the same
/// secret store, the same rotation. Its material is never printed.
///
/// An explicit seal key is optional: without one the service derives the seal key from the code
/// key ring, which is simpler to run (one secret, one rotation).
package struct OutboxSealKey: Sendable, CustomStringConvertible, CustomReflectable {
    /// The shortest accepted key, in bytes (256 bits, the HMAC-SHA256 output size; RFC 2104 §3).
    public static let minimumLength = 32

    /// The key's identifier, stored beside every sealed code so keys can rotate.
    public let id: String
    let material: [UInt8]

    /// Wraps existing key material.
    /// - Parameters:
    ///   - id: A short, stable identifier, e.g. `"2026-01"`.
    ///   - material: At least ``minimumLength`` secret random bytes.
    /// - Throws: ``VerificationError/Code/invalidInput`` for shorter material or an empty id;
    ///   nothing is kept then.
    public init(id: String, material: some Collection<UInt8>) throws(VerificationError) {
        guard !id.isEmpty, material.count >= Self.minimumLength else {
            throw VerificationError(
                .invalidInput,
                message: LocalizedText(
                    indonesian: "Kunci segel outbox memerlukan ID dan sedikitnya \(Self.minimumLength) byte acak.",
                    english: "An outbox seal key needs an identifier and at least \(Self.minimumLength) random bytes."))
        }
        self.id = id
        self.material = Array(material)
    }

    /// A new key of 32 random bytes from the system's secure generator.
    /// - Parameter id: The key's identifier.
    /// - Returns: The key.
    public static func random(id: String) -> OutboxSealKey {
        // 32 bytes is the minimum, so this cannot throw.
        try! OutboxSealKey(id: id.isEmpty ? "seal" : id, material: Crypto.randomBytes(minimumLength))
    }

    /// The identifier only; the material is never printed.
    public var description: String { "OutboxSealKey(id: \(id), material: <redacted>)" }

    /// A reflection showing only the identifier, so `dump(_:)` and debuggers reveal no secret.
    public var customMirror: Mirror { Mirror(self, children: ["id": id], displayStyle: .struct) }
}
