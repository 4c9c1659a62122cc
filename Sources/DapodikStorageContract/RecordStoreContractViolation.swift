/// A rule of the ``RecordStoreContract`` that a store did not keep.
public struct RecordStoreContractViolation: Error, CustomStringConvertible {
    /// What was expected and what the store did instead.
    public let message: String
    /// The contract's source file where the rule is checked.
    public let file: String
    /// The line in ``file``.
    public let line: Int

    init(_ message: String, file: String, line: Int) {
        self.message = message
        self.file = file
        self.line = line
    }

    /// The message with the place in the contract's source.
    public var description: String { "\(message) (\(file):\(line))" }
}
