import DapodikCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// The return address of each outbox message (VERP): where its bounces go, and which message a
// bounce is about, authenticated so a forged or replayed bounce cannot mark another message.
extension VerificationService {
    /// The HKDF `info` label of the return-address subkey of a code key (RFC 5869 §2.3; see
    /// `CodeKey.subkey(for:)`). Versioned, so a future token format gets a fresh subkey.
    static let returnPathPurpose = "dapodik-verification-return-path-v1"

    /// The bytes of the token's tag: 80 bits, the truncation RFC 2104 §5 allows (at least half the
    /// hash and at least 80 bits); a forger must guess it for each message, and every guess costs
    /// them a mail through the receiving system.
    static let returnPathTagLength = 10

    /// The envelope sender of `message`: `<local part>+<message id><tag>@<sender domain>` with the
    /// message id as 32 lower-case hex digits and the tag as 20, where the tag is
    /// HMAC-SHA256(return-path subkey of the current code key, message id), truncated. Lower-case
    /// hex survives mail systems that fold the case of local parts. `nil` when return addresses
    /// are turned off (``Configuration/returnPathLocalPart`` is `nil`) or the address would not be
    /// valid (a local part longer than 64 octets, RFC 5321 §4.5.3.1.1).
    func returnPath(for message: OutboxMessage) -> EmailAddress? {
        guard let prefix = configuration.returnPathLocalPart else { return nil }
        guard let key = outboxSealing.returnPathKey(of: configuration.keyRing.currentKeyID) else { return nil }
        let id = Self.tokenHex(message.id)
        let tag = key.authenticationCode(for: id.utf8).prefix(Self.returnPathTagLength)
        return try? EmailAddress(prefix + "+" + id + Self.tokenHex(tag) + "@" + configuration.sender.domain)
    }

    /// The envelope for sending `message`: `envelope` with the message's return address as its
    /// sender, so bounces come back naming the message. The header `From` is not touched.
    func envelope(_ envelope: Envelope, for message: OutboxMessage) -> Envelope {
        guard let sender = returnPath(for: message) else { return envelope }
        return Envelope(sender: sender, recipients: envelope.recipients)
    }

    /// The outbox message a return address names, if its tag is right under any active code key
    /// (compared in constant time), so a token stays valid across one key rotation and dies
    /// with its key.
    /// - Parameter address: An address a bounce was delivered to, such as
    ///   `bounce+0f…@sekolah.example`.
    /// - Returns: The message's id, or `nil` for an address that is not a valid token.
    func outboxID(fromReturnPath address: String) -> UUID? {
        guard let prefix = configuration.returnPathLocalPart, let at = address.lastIndex(of: "@") else { return nil }
        let local = address[..<at].lowercased()
        let lead = prefix.lowercased() + "+"
        guard local.hasPrefix(lead) else { return nil }
        let token = local.dropFirst(lead.count)
        guard token.utf8.count == 32 + 2 * Self.returnPathTagLength, token.utf8.allSatisfy(Self.isHexDigit) else {
            return nil
        }
        let id = String(token.prefix(32))
        let tag = Array(token.suffix(2 * Self.returnPathTagLength).utf8)
        var matched = false
        for keyID in configuration.keyRing.activeKeyIDs {
            guard let key = outboxSealing.returnPathKey(of: keyID) else { continue }
            let expected = Self.tokenHex(key.authenticationCode(for: id.utf8).prefix(Self.returnPathTagLength))
            if Crypto.constantTimeEquals(Array(expected.utf8), tag) { matched = true }
        }
        guard matched else { return nil }
        return Self.uuid(fromHex: id)
    }

    /// The 32 lower-case hex digits of `id`'s 16 bytes in order: its text form without the dashes.
    static func tokenHex(_ id: UUID) -> String {
        withUnsafeBytes(of: id.uuid) { tokenHex($0) }
    }

    /// Lower-case hex, two digits a byte, high nibble first.
    static func tokenHex(_ bytes: some Collection<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var end = 0
            for byte in bytes {
                out[end] = hexDigit(byte >> 4)
                out[end + 1] = hexDigit(byte & 0x0F)
                end += 2
            }
            return end
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }

    static func uuid(fromHex hex: String) -> UUID? {
        let characters = Array(hex)
        guard characters.count == 32 else { return nil }
        // The 8-4-4-4-12 groups of a UUID's text form (RFC 9562 §4).
        let lengths: [Int] = [8, 4, 4, 4, 12]
        var groups: [String] = []
        var start = 0
        for length in lengths {
            groups.append(String(characters[start..<(start + length)]))
            start += length
        }
        return UUID(uuidString: groups.joined(separator: "-"))
    }
}
