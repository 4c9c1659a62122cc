internal import Foundation

extension String {
    /// The password in Unicode Normalization Form KC, as NIST SP 800-63B §5.1.1.2 recommends before
    /// hashing and before counting characters.
    func normalizedForHashing() -> String {
        precomposedStringWithCompatibilityMapping
    }
}
