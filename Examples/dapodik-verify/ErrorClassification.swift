import DapodikVerification

/// Maps an error thrown by the library to the program's exit status, keeping its message.
enum ErrorClassification {
    /// The exit status and message for any error.
    /// - Parameter error: What a command threw.
    /// - Returns: A ``CLIError`` with the error's message and the status that fits it.
    static func classify(_ error: any Error) -> CLIError {
        if let error = error as? CLIError { return error }
        if let failure = error as? any LocalizedFailure {
            return CLIError(
                CLIError.Code(String(describing: type(of: failure))), status: .refused,
                indonesian: failure.message.indonesian, english: failure.message.english)
        }
        let description = String(describing: error)
        return CLIError(
            CLIError.Code("unexpected"), status: .ioError, indonesian: "Kesalahan tak terduga: \(description)",
            english: "Unexpected error: \(description)")
    }
}
