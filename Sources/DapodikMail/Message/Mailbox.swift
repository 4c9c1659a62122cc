public import DapodikAccounts

/// A mailbox as written in From, To and Reply-To: an address and, optionally, the name of the
/// person or office behind it (RFC 5322 §3.4 `name-addr`).
public struct Mailbox: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The address mail is sent to.
    public var address: EmailAddress
    /// The name shown beside the address, such as `"Budi Santoso"`; any Unicode text. `nil` or an
    /// empty name writes the bare address. When written, runs of spaces and tabs become one space
    /// and leading or trailing ones are dropped (readers collapse them anyway, RFC 5322 §3.2.5).
    public var displayName: String?

    /// Creates a mailbox.
    /// - Parameters:
    ///   - address: The address.
    ///   - displayName: The name shown beside it, if any. It is checked for CR, LF and NUL when the
    ///     message is rendered, not here.
    public init(_ address: EmailAddress, displayName: String? = nil) {
        self.address = address
        self.displayName = displayName
    }

    /// The mailbox as a person would write it: `Budi Santoso <budi@example.sch.id>` (not encoded).
    public var description: String {
        guard let displayName, !displayName.isEmpty else { return address.value }
        return "\(displayName) <\(address.value)>"
    }
}
