internal import DapodikCrypto

/// A stored password: the self-describing string a ``PasswordHasher`` produced, never the
/// password itself.
///
/// The string is not a secret in the way a password is, yet it lets an attacker who holds it guess
/// passwords offline, so it is never printed: `description`, `debugDescription` and `dump` show
/// `••••`. Equality compares in constant time.
public struct PasswordCredential: Sendable, Hashable, Codable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The encoded hash, such as `$pbkdf2-sha256$i=600000$…$…`. Store it; never show it.
    public let encoded: String

    /// Wraps an encoded hash read from storage. The string is checked when it is used
    /// (``PasswordHasher/verify(_:against:)`` throws for a malformed one), not here, so a
    /// credential from another hasher can be carried unchanged.
    /// - Parameter encoded: The encoded hash.
    public init(encoded: String) { self.encoded = encoded }

    /// `••••`: the credential is never printed.
    public var description: String { "••••" }
    /// `PasswordCredential(••••)`: the credential is never printed.
    public var debugDescription: String { "PasswordCredential(••••)" }
    /// A mirror without children, so `dump` and debuggers do not print the hash either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// Compares two credentials in constant time.
    public static func == (lhs: PasswordCredential, rhs: PasswordCredential) -> Bool {
        Crypto.constantTimeEquals(Array(lhs.encoded.utf8), Array(rhs.encoded.utf8))
    }

    /// Hashes the encoded string (for sets and dictionaries).
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) { hasher.combine(encoded) }

    /// Decodes the encoded string.
    /// - Parameter decoder: The decoder to read a single string from.
    /// - Throws: Only what the decoder throws; the format is checked on use.
    public init(from decoder: any Decoder) throws {
        self.encoded = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the encoded string.
    /// - Parameter encoder: The encoder to write a single string to.
    /// - Throws: Only what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(encoded)
    }
}
