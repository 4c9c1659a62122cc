/// One row of a batch registration (``VerificationService/registerStaff(_:by:progress:)``) that
/// cannot be registered, and why.
public struct StaffBatchFailure: Sendable {
    /// The row's position in the batch, counted from 0.
    public let row: Int
    /// Why the row cannot be registered: ``VerificationError/Code/emailInUse`` or
    /// ``VerificationError/Code/usernameInUse`` (by another account, or by an earlier row: see
    /// ``sameAsRow``), ``VerificationError/Code/possibleTypo`` or ``VerificationError/Code/invalidInput``.
    public let error: VerificationError
    /// The earlier row of the same batch that already has this e-mail address or username, when
    /// the conflict is inside the batch; `nil` when an existing account holds it (which one is
    /// never said).
    public let sameAsRow: Int?

    /// Creates a row failure.
    /// - Parameters:
    ///   - row: The row's position in the batch, from 0.
    ///   - error: Why it cannot be registered.
    ///   - sameAsRow: The earlier row it repeats, for a conflict inside the batch.
    public init(row: Int, error: VerificationError, sameAsRow: Int? = nil) {
        self.row = row
        self.error = error
        self.sameAsRow = sameAsRow
    }
}
