import DapodikAccounts
import DapodikCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The keyed digest of a verification code: what a challenge stores instead of the code.
///
/// HMAC-SHA256 (RFC 2104) under a ``CodeKey``, over an unambiguous encoding of the key
/// identifier, the challenge, the address the code was mailed to and the code (see
/// `compute(code:challenge:address:key:)`). Binding the challenge and the address means a code
/// mailed for one challenge, or to one address, never verifies another. Encoded as Base64 text.
package struct CodeDigest: Sendable, Hashable, Codable, CustomStringConvertible {
    private let bytes: [UInt8]

    /// Label that separates this use of the key from any other (and versions the encoding).
    private static let domainLabel = Array("dapodik-verification-code-digest-v1".utf8)

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// The digest of `code` for one challenge and address under `key`.
    ///
    /// The HMAC message is the domain label followed by four fields, each prefixed with its length
    /// as a 4-byte big-endian integer, so no two different inputs encode alike: the key identifier,
    /// the challenge identifier (lower-case UUID text), the canonical address, and the digits.
    static func compute(
        code: VerificationCode, challenge: ChallengeID, address: EmailAddress, key: CodeKey
    ) -> CodeDigest {
        var message = domainLabel
        for field in [
            Array(key.id.rawValue.utf8), Array(challenge.description.utf8), Array(address.canonical.utf8),
            code.digitBytes,
        ] {
            withUnsafeBytes(of: UInt32(field.count).bigEndian) { message.append(contentsOf: $0) }
            message.append(contentsOf: field)
        }
        return CodeDigest(bytes: key.authenticator.authenticationCode(for: message))
    }

    /// Whether this digest equals `other`, compared in constant time (the ordinary `==` is not).
    func matches(_ other: CodeDigest) -> Bool { Self.constantTimeEquals(bytes, other.bytes) }

    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool { Crypto.constantTimeEquals(lhs, rhs) }

    /// A short, non-reversible hint only: the first four bytes in hexadecimal.
    public var description: String {
        "CodeDigest(" + bytes.prefix(4).map { String($0, radix: 16).leftPadded(to: 2) }.joined() + "…)"
    }

    /// Decodes a digest from its Base64 text.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/invalidStoredData`` unless the text is
    ///   Base64 of exactly 32 bytes.
    public init(from decoder: any Decoder) throws {
        try self.init(storedText: try decoder.singleValueContainer().decode(String.self))
    }

    /// A digest from its stored form, ``storedText``.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/invalidStoredData`` unless the text is
    ///   Base64 of exactly 32 bytes.
    package init(storedText text: String) throws(CodeError) {
        var text = text
        if let bytes = text.withUTF8(Self.canonicalBase64Digest) {
            self.bytes = bytes
            return
        }
        guard let data = Data(base64Encoded: text), data.count == 32 else {
            throw CodeError(
                .invalidStoredData, indonesian: "Digest kode yang tersimpan rusak.",
                english: "A stored code digest is damaged.")
        }
        self.bytes = Array(data)
    }

    /// The 32 bytes `text` spells if it is their canonical Base64 (what ``storedText`` writes: 43
    /// digits of the standard alphabet, the last one's two unused bits zero, and one `=`); `nil` for
    /// any other text, which `Data(base64Encoded:)` then judges. Canonical Base64 has one decoding, so
    /// both give the same bytes for it.
    private static func canonicalBase64Digest(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count == 44, text[43] == UInt8(ascii: "=") else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        var accumulator: UInt32 = 0
        var bits = 0
        var written = 0
        for index in 0..<43 {
            guard let value = base64Value(text[index]) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                written += 1
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // 43 digits carry 258 bits: the two left over must be zero.
        guard written == 32, accumulator == 0 else { return nil }
        return bytes
    }

    private static func base64Value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): digit - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    /// Encodes the digest as Base64 text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(storedText)
    }

    /// The stored form: the digest in Base64 (what ``encode(to:)`` writes).
    package var storedText: String { Data(bytes).base64EncodedString() }

    /// The digest's bytes, for a record writer that writes ``storedText`` straight from them.
    package var storedBytes: [UInt8] { bytes }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: Swift.max(0, length - count)) + self
    }
}
