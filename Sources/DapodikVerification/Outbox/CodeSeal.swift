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

    /// Seals `code` for the message `messageID` under `key`.
    static func seal(
        _ code: String, messageID: String, keyID: String, key: [UInt8], derivedFromCodeKey: Bool = false
    ) -> CodeSeal {
        seal(
            code, messageID: messageID, keyID: keyID, key: HMACSHA256(key: key), derivedFromCodeKey: derivedFromCodeKey)
    }

    /// Seals `code` for the message `messageID` under the key `key` was keyed with (the service keeps
    /// one keyed HMAC per seal key, ``OutboxSealing``, so no seal keys the HMAC afresh).
    static func seal(
        _ code: String, messageID: String, keyID: String, key: HMACSHA256, derivedFromCodeKey: Bool = false
    ) -> CodeSeal {
        let codeBytes = Array(code.utf8)
        let stream = keystream(count: codeBytes.count, messageID: messageID, key: key)
        var sealed = [UInt8](repeating: 0, count: codeBytes.count)
        for index in codeBytes.indices {
            sealed[index] = UInt8(ascii: "0") + (codeBytes[index] - UInt8(ascii: "0") + stream[index]) % 10
        }
        return CodeSeal(
            keyID: keyID, digits: String(decoding: sealed, as: UTF8.self),
            derivedFromCodeKey: derivedFromCodeKey ? true : nil,
            tag: hex(tag(code: codeBytes, messageID: messageID, key: key)))
    }

    /// Opens the seal: the code when the key is the one that sealed it.
    func open(messageID: String, key: [UInt8]) -> Opening {
        open(messageID: messageID, key: HMACSHA256(key: key))
    }

    /// Opens the seal under the key `key` was keyed with: the code when it is the one that sealed it.
    func open(messageID: String, key: HMACSHA256) -> Opening {
        guard let code = unseal(messageID: messageID, key: key) else { return .damaged }
        guard let tag else { return .code(code) }
        let expected = Self.hex(Self.tag(code: Array(code.utf8), messageID: messageID, key: key))
        return Crypto.constantTimeEquals(Array(expected.utf8), Array(tag.utf8)) ? .code(code) : .wrongKey
    }

    /// The digits under `key`, unauthenticated, or `nil` when the stored digits are not ASCII
    /// digits (a damaged record). `open(messageID:key:)` also checks the tag.
    func unseal(messageID: String, key: [UInt8]) -> String? {
        unseal(messageID: messageID, key: HMACSHA256(key: key))
    }

    /// `unseal(messageID:key:)` under the key `key` was keyed with.
    func unseal(messageID: String, key: HMACSHA256) -> String? {
        let sealed = Array(digits.utf8)
        guard !sealed.isEmpty, sealed.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        let stream = Self.keystream(count: sealed.count, messageID: messageID, key: key)
        var plain = [UInt8](repeating: 0, count: sealed.count)
        for index in sealed.indices {
            plain[index] = UInt8(ascii: "0") + (sealed[index] - UInt8(ascii: "0") + 10 - stream[index]) % 10
        }
        return String(decoding: plain, as: UTF8.self)
    }

    private static func keystream(count: Int, messageID: String, key: HMACSHA256) -> [UInt8] {
        var digits: [UInt8] = []
        digits.reserveCapacity(count)
        var message = Array("outbox-seal".utf8) + [0, 0]
        message.append(contentsOf: messageID.utf8)
        var block: UInt8 = 0
        while digits.count < count {
            message[12] = block  // "outbox-seal" ‖ 0x00 ‖ counter ‖ message id
            var mac = key
            message.withUnsafeBytes { mac.update($0) }
            for byte in mac.finalize() where byte < 250 && digits.count < count { digits.append(byte % 10) }
            block &+= 1
        }
        return digits
    }

    private static func tag(code: [UInt8], messageID: String, key: HMACSHA256) -> [UInt8] {
        var message = Array("outbox-seal-tag".utf8)
        message.reserveCapacity(message.count + messageID.utf8.count + code.count + 2)
        message.append(0)
        message.append(contentsOf: messageID.utf8)
        message.append(0)
        message.append(contentsOf: code)
        var mac = key
        message.withUnsafeBytes { mac.update($0) }
        return Array(mac.finalize().prefix(16))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8](repeating: 0, count: bytes.count * 2)
        for (index, byte) in bytes.enumerated() {
            text[2 * index] = digits[Int(byte >> 4)]
            text[2 * index + 1] = digits[Int(byte & 0x0F)]
        }
        return String(decoding: text, as: UTF8.self)
    }
}
