import DapodikCrypto

/// A code kept in the outbox until its e-mail is handed over, without being readable there.
///
/// The store must never hold a code in the clear (design principle 5), yet the dispatcher needs
/// the code to render the e-mail, possibly hours later after retries. So each digit is shifted by a
/// keystream digit: `sealed[i] = (code[i] + k[i]) mod 10`, where `k` comes from
/// `HMAC-SHA256(key, "outbox-seal" ‖ 0x00 ‖ counter ‖ message id)` (RFC 2104). The key is the
/// outbox subkey of the code key ring's current key (``VerificationService/outboxSealPurpose``),
/// or, when the configuration names explicit ``OutboxSealKey``s, the first of those. Keystream
/// bytes of 250 or more are skipped so every digit is uniform (no modulo bias). The key id is
/// kept, so a sealed code survives key rotation while its key stays active. The message id is
/// unique per message, so no two codes share a keystream. After hand-over the seal is erased from
/// the outbox record.
///
/// The seal is authenticated: ``tag`` is `HMAC-SHA256(key, "outbox-seal-tag" ‖ 0x00 ‖ message id ‖
/// 0x00 ‖ code)` truncated to 128 bits (RFC 2104 §5 allows truncation to at least half the output).
/// Without it a wrong key (a key file swapped, restored from another directory, or diverged
/// between two processes) would open the seal to *other* digits, which would be mailed and then
/// counted as wrong attempts. With it a wrong key is detected and nothing is mailed. Seals written
/// before the tag existed have none and open as before.
struct CodeSeal: Codable, Hashable {
    /// The ``CodeKeyID`` (when ``derivedFromCodeKey``) or ``OutboxSealKey/id`` that sealed it.
    var keyID: String
    var digits: String
    /// `true` when sealed with a subkey of the code key `keyID`; `nil` or `false` for an explicit
    /// ``OutboxSealKey`` (the only kind before subkeys existed, hence optional).
    var derivedFromCodeKey: Bool?
    /// The authentication tag, 32 lowercase hex digits; `nil` only in seals written before tags.
    var tag: String?

    /// What opening a seal gives.
    enum Opening: Equatable {
        /// The code, authenticated (or from an older seal without a tag).
        case code(String)
        /// The stored digits are not ASCII digits: a damaged record.
        case damaged
        /// The tag does not match: the key is not the one that sealed it (or the record was altered).
        case wrongKey
    }

    static func seal(
        _ code: String, messageID: String, keyID: String, key: [UInt8], derivedFromCodeKey: Bool = false
    ) -> CodeSeal {
        let stream = keystream(count: code.utf8.count, messageID: messageID, key: key)
        let sealed = zip(code.utf8, stream).map { byte, shift in
            Character(Unicode.Scalar(UInt8(ascii: "0") + (byte - UInt8(ascii: "0") + shift) % 10))
        }
        return CodeSeal(
            keyID: keyID, digits: String(sealed), derivedFromCodeKey: derivedFromCodeKey ? true : nil,
            tag: hex(tag(code: code, messageID: messageID, key: key)))
    }

    /// Opens the seal: the code when the key is the one that sealed it.
    func open(messageID: String, key: [UInt8]) -> Opening {
        guard let code = unseal(messageID: messageID, key: key) else { return .damaged }
        guard let tag else { return .code(code) }
        let expected = Self.hex(Self.tag(code: code, messageID: messageID, key: key))
        return Crypto.constantTimeEquals(Array(expected.utf8), Array(tag.utf8)) ? .code(code) : .wrongKey
    }

    /// The digits under `key`, unauthenticated, or `nil` when the stored digits are not ASCII
    /// digits (a damaged record). ``open(messageID:key:)`` also checks the tag.
    func unseal(messageID: String, key: [UInt8]) -> String? {
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        let stream = Self.keystream(count: digits.utf8.count, messageID: messageID, key: key)
        let plain = zip(digits.utf8, stream).map { byte, shift in
            Character(Unicode.Scalar(UInt8(ascii: "0") + (byte - UInt8(ascii: "0") + 10 - shift) % 10))
        }
        return String(plain)
    }

    private static func keystream(count: Int, messageID: String, key: [UInt8]) -> [UInt8] {
        var digits: [UInt8] = []
        var block: UInt8 = 0
        while digits.count < count {
            let bytes = Crypto.hmacSHA256(
                key: key, message: Array("outbox-seal".utf8) + [0, block] + Array(messageID.utf8))
            for byte in bytes where byte < 250 && digits.count < count { digits.append(byte % 10) }
            block &+= 1
        }
        return digits
    }

    private static func tag(code: String, messageID: String, key: [UInt8]) -> [UInt8] {
        let message = Array("outbox-seal-tag".utf8) + [0] + Array(messageID.utf8) + [0] + Array(code.utf8)
        return Array(Crypto.hmacSHA256(key: key, message: message).prefix(16))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}
