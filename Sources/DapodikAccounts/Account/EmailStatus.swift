public import Foundation

/// Whether an account's e-mail address has been proven to reach its owner.
///
/// Verification belongs to one address: ``verified(at:address:)`` records which, so a status that
/// names another address than the account's current one proves nothing about the current one
/// (see ``Account/isEmailVerified``).
public enum EmailStatus: Sendable, Hashable, Codable {
    /// Not verified (*belum verifikasi*).
    case unverified
    /// Verified (*terverifikasi*): the owner of `address` typed back the code mailed to it at `at`.
    case verified(at: Date, address: EmailAddress)

    /// Whether this status proves that `address` is verified: verified, for the same mailbox
    /// (compared by ``EmailAddress/canonical``).
    /// - Parameter address: The address in question.
    /// - Returns: `true` only for ``verified(at:address:)`` with the same canonical address.
    public func verifies(_ address: EmailAddress) -> Bool {
        guard case .verified(_, let verifiedAddress) = self else { return false }
        return verifiedAddress.canonical == address.canonical
    }

    private enum CodingKeys: String, CodingKey {
        case state, verifiedAt, address
    }

    /// Decodes a status from `{"state": "unverified"}` or
    /// `{"state": "verified", "verifiedAt": …, "address": "…"}`.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError.dataCorrupted` for an unknown state; decoding errors of the fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .state) {
        case "unverified":
            self = .unverified
        case "verified":
            self = .verified(
                at: try container.decode(Date.self, forKey: .verifiedAt),
                address: try container.decode(EmailAddress.self, forKey: .address))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: container, debugDescription: "Unknown e-mail status \"\(other)\"")
        }
    }

    /// Encodes the status with a `state` discriminator (see ``init(from:)``).
    /// - Parameter encoder: The encoder.
    /// - Throws: Only what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .unverified:
            try container.encode("unverified", forKey: .state)
        case .verified(let date, let address):
            try container.encode("verified", forKey: .state)
            try container.encode(date, forKey: .verifiedAt)
            try container.encode(address, forKey: .address)
        }
    }
}
