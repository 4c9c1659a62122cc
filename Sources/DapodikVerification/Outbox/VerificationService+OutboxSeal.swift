import DapodikCodes
import DapodikCrypto

// Which key seals a code in the outbox, and which unseals it.
extension VerificationService {
    /// The HKDF `info` label of the outbox subkey of a code key (RFC 5869 §2.3; see
    /// `CodeKey.subkey(for:)`). Versioned, so a future sealing scheme gets a fresh subkey.
    static let outboxSealPurpose = "dapodik-verification-outbox-seal-v1"

    /// Seals `code` for the outbox message `messageID`: with the first explicit
    /// ``Configuration/outboxSealKeys`` entry if there is one, otherwise with the outbox subkey of
    /// the key ring's current code key.
    func seal(_ code: VerificationCode, messageID: String) -> CodeSeal {
        if let explicit = outboxSealing.firstExplicitKey {
            return CodeSeal.seal(code.digits, messageID: messageID, keyID: explicit.id, key: explicit.key)
        }
        let ring = configuration.keyRing
        // The current key is always in the ring, so its subkey always exists.
        let key = outboxSealing.subkey(of: ring.currentKeyID) ?? HMACSHA256(key: [])
        return CodeSeal.seal(
            code.digits, messageID: messageID, keyID: ring.currentKeyID.rawValue, key: key, derivedFromCodeKey: true)
    }

    enum UnsealFailure: Error {
        /// The code key that sealed it is retired: the code could not be verified anyway.
        case codeKeyRetired(String)
        /// No configured ``OutboxSealKey`` has the seal's identifier: a configuration mistake.
        case sealKeyMissing(String)
        /// The stored seal is not digits: a damaged record.
        case damaged
        /// The seal's tag does not match: the key named by the seal is not the one that sealed it
        /// (a key file replaced or diverged). Sending would mail wrong digits.
        case keyMismatch(String)
    }

    /// Opens a sealed code with the key it names.
    func unseal(_ seal: CodeSeal, messageID: String) -> Result<String, UnsealFailure> {
        let key: HMACSHA256
        if seal.derivedFromCodeKey == true {
            guard let id = try? CodeKeyID(seal.keyID), let subkey = outboxSealing.subkey(of: id) else {
                return .failure(.codeKeyRetired(seal.keyID))
            }
            key = subkey
        } else {
            guard let explicit = outboxSealing.explicitKey(seal.keyID) else {
                return .failure(.sealKeyMissing(seal.keyID))
            }
            key = explicit
        }
        switch seal.open(messageID: messageID, key: key) {
        case .code(let code): return .success(code)
        case .damaged: return .failure(.damaged)
        case .wrongKey: return .failure(.keyMismatch(seal.keyID))
        }
    }
}
