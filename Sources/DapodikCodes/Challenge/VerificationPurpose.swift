/// What a challenge verifies: which address of whose, in which flow.
///
/// Open, like an error code: new purposes are new static members, and clients switching on
/// purposes do not break.
package struct VerificationPurpose: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The stable, machine-readable name of the purpose.
    public let rawValue: String

    /// Creates a purpose from its stable name.
    /// - Parameter rawValue: The purpose's name, such as `"operator.ownAddress"`.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// A school operator verifies their own address before managing other accounts (the school
    /// portal's first step).
    public static let operatorOwnAddress = VerificationPurpose("operator.ownAddress")
    /// A PTK (teacher or education staff member) verifies the address the operator entered, on the
    /// staff portal's "VERIFIKASI SEKARANG".
    public static let staffAddress = VerificationPurpose("ptk.address")

    /// The purpose's stable name.
    public var description: String { rawValue }

    /// Decodes the purpose from its name.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the purpose as its name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
