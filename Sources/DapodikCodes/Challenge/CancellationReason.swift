/// Why a challenge was cancelled. Open: new reasons are new static members.
package struct CancellationReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The stable, machine-readable name of the reason.
    public let rawValue: String

    /// Creates a reason from its stable name.
    /// - Parameter rawValue: The reason's name, such as `"addressChanged"`.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The address was corrected; a new challenge for the new address replaces this one, so codes
    /// mailed to the old (possibly mistyped, possibly someone else's) address never verify.
    public static let addressChanged = CancellationReason("addressChanged")
    /// A newer challenge for the same account and purpose was started.
    public static let superseded = CancellationReason("superseded")
    /// The person or an operator withdrew the verification.
    public static let withdrawn = CancellationReason("withdrawn")

    /// The reason's stable name.
    public var description: String { rawValue }

    /// Decodes the reason from its name.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the reason as its name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
