import DapodikLanguage

extension Decoder {
    /// Decodes a single string and validates it with `make`, so a value read back from storage
    /// meets the same rules as one a person typed.
    ///
    /// A validation failure becomes `DecodingError.dataCorrupted` carrying the coding path (which
    /// record and field) with the ``ValidationError`` as its underlying error.
    func decodeValidated<Value>(_ make: (String) throws(ValidationError) -> Value) throws -> Value {
        let string = try singleValueContainer().decode(String.self)
        do {
            return try make(string)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: codingPath, debugDescription: error.message.english, underlyingError: error))
        }
    }
}
