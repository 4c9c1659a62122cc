import DapodikCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A secret key for the keyed digests of verification codes (HMAC-SHA256, RFC 2104).
///
/// The key material is never printed: `description` and reflection show only the identifier.
/// Keep keys outside the store (an environment variable, a secrets manager), so that a copy of the
/// store alone does not let anyone test guesses against the digests.
public struct CodeKey: Sendable, CustomStringConvertible, CustomReflectable {
    /// The shortest key accepted, in bytes: the HMAC-SHA256 output length, which RFC 2104 §3 names
    /// as the minimum for a key.
    public static let minimumLength = 32

    /// The key's name, stored beside every digest made with it.
    public let id: CodeKeyID
    /// The secret bytes.
    let material: [UInt8]
    /// HMAC-SHA256 keyed with ``material`` once, so each code digest hashes only its message.
    let authenticator: HMACSHA256

    /// A key from its secret bytes.
    /// - Parameters:
    ///   - id: The key's name.
    ///   - material: The secret, at least ``minimumLength`` random bytes.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/keyTooShort`` for fewer than
    ///   ``minimumLength`` bytes. Longer keys are *not* an error.
    public init(id: CodeKeyID, material: some Collection<UInt8>) throws(CodeError) {
        guard material.count >= Self.minimumLength else {
            throw CodeError(
                .keyTooShort, indonesian: "Kunci kode harus sedikitnya \(Self.minimumLength) byte.",
                english: "A code key must be at least \(Self.minimumLength) bytes long.")
        }
        self.init(id: id, checkedMaterial: Array(material))
    }

    /// A key from its Base64 text (RFC 4648 §4), as kept in an environment variable or a secrets
    /// manager.
    /// - Parameters:
    ///   - id: The key's name.
    ///   - base64: The secret in Base64; surrounding white space is ignored.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/invalidKeyEncoding`` when the text is not
    ///   Base64, and ``CodeError/Code/keyTooShort`` when it decodes to fewer than ``minimumLength``
    ///   bytes.
    public init(id: CodeKeyID, base64: String) throws(CodeError) {
        let trimmed = base64.unicodeScalars.filter { !$0.properties.isWhitespace }
        guard let data = Data(base64Encoded: String(String.UnicodeScalarView(trimmed))) else {
            throw CodeError(
                .invalidKeyEncoding, indonesian: "Kunci kode harus ditulis dalam Base64 yang valid.",
                english: "A code key must be written in valid Base64.")
        }
        try self.init(id: id, material: data)
    }

    /// A new key of ``minimumLength`` bytes from the system's cryptographically secure generator.
    /// - Parameter id: The key's name.
    /// - Returns: The key.
    public static func random(id: CodeKeyID) -> CodeKey {
        CodeKey(id: id, checkedMaterial: Crypto.randomBytes(minimumLength))
    }

    private init(id: CodeKeyID, checkedMaterial: [UInt8]) {
        self.id = id
        self.material = checkedMaterial
        self.authenticator = HMACSHA256(key: checkedMaterial)
    }

    /// The key's identifier only; the secret is never printed.
    public var description: String { "CodeKey(id: \(id), material: <redacted>)" }

    /// A reflection showing only the identifier, so `dump(_:)` and debuggers reveal no secret.
    public var customMirror: Mirror { Mirror(self, children: ["id": id], displayStyle: .struct) }
}
