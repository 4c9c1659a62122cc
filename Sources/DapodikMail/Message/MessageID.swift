internal import DapodikCrypto

/// The unique identifier of one message (RFC 5322 §3.6.4 `msg-id`), written in the Message-ID
/// header, such as `<3f2a…@sekolah.example>`.
///
/// An outbox that may send the same message again (after a transient failure) keeps its
/// Message-ID, so the recipient's mail system can recognise a duplicate.
public struct MessageID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The identifier without its angle brackets: `left@right`.
    public let value: String

    /// Validates an identifier.
    /// - Parameter string: `left@right` or `<left@right>`, where both sides are RFC 5322 dot-atoms
    ///   (`id-left` and `id-right` in their non-obsolete form).
    /// - Throws: ``MailError`` with code ``MailError/Code/invalidMessageID`` when the text is not of
    ///   that form, and ``MailError/Code/headerInjection`` for CR, LF or NUL. Surrounding angle
    ///   brackets are *not* an error: they are removed.
    public init(_ string: String) throws(MailError) {
        try MailError.checkHeaderInput(string, field: "Message-ID")
        var contiguous = string
        guard let value = contiguous.withUTF8(Self.validatedValue) else {
            throw MailError(
                .invalidMessageID, field: "Message-ID",
                indonesian: "Message-ID tidak valid: harus berbentuk <kiri@kanan> tanpa spasi.",
                english: "The Message-ID is not valid: it must be of the form <left@right> without spaces.")
        }
        self.value = value
    }

    /// The identifier in `bytes` without its brackets, or `nil` when it is not `left@right` with
    /// both sides dot-atoms and at most 250 octets. One pass over the bytes: a valid identifier is
    /// ASCII, so reading bytes accepts and refuses exactly what reading characters did.
    private static func validatedValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var start = 0
        var end = bytes.count
        if end >= 2 && bytes[0] == UInt8(ascii: "<") && bytes[end - 1] == UInt8(ascii: ">") {
            start = 1
            end -= 1
        }
        guard end - start <= 250 else { return nil }
        var at: Int?
        for index in start..<end where bytes[index] == UInt8(ascii: "@") {
            guard at == nil else { return nil }
            at = index
        }
        guard let at, isDotAtom(UnsafeBufferPointer(rebasing: bytes[start..<at])),
            isDotAtom(UnsafeBufferPointer(rebasing: bytes[(at + 1)..<end]))
        else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    private init(unchecked value: String) { self.value = value }

    /// A new identifier on `domain`: 128 random bits (from the system's CSPRNG) in hexadecimal,
    /// then `@domain`. The domain makes it globally unique in the sense of RFC 5322 §3.6.4; the
    /// randomness makes it unguessable, so it reveals nothing about the code or the account.
    /// - Parameter domain: The sender's domain, such as ``EmailAddress/domain`` of the From address.
    /// - Returns: A fresh identifier.
    public static func random(onDomain domain: String) -> MessageID {
        var generator = SecureRandomGenerator()
        return MessageID(unchecked: randomHex(byteCount: 16, using: &generator) + "@" + domain)
    }

    /// The identifier as written in the header, with angle brackets: `<left@right>`.
    public var description: String { "<" + value + ">" }

    /// Decodes and re-validates an identifier.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the identifier as its `left@right` text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// RFC 5322 §3.2.3 `dot-atom-text`: `atext` runs joined by single dots, in one pass over the bytes.
    private static func isDotAtom(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous = UInt8(ascii: ".")
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard previous != UInt8(ascii: ".") else { return false }
            } else {
                guard HeaderSyntax.isAtext(byte) else { return false }
            }
            previous = byte
        }
        return previous != UInt8(ascii: ".")
    }
}

/// `byteCount` random bytes as lower-case hexadecimal.
func randomHex(byteCount: Int, using source: inout some RandomBytesSource) -> String {
    var bytes: [UInt8] = []
    appendRandomHex(byteCount: byteCount, using: &source, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

/// Appends ``randomHex(byteCount:using:)``'s digits to `out`: `byteCount` bytes drawn from `source`
/// in one ``RandomBytesSource/fill(_:)`` (one system call from the kernel's source), then written as
/// two digits each, high nibble first.
func appendRandomHex(byteCount: Int, using source: inout some RandomBytesSource, to out: inout [UInt8]) {
    out.reserveCapacity(out.count + byteCount * 2)
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: byteCount) { bytes in
        source.fill(UnsafeMutableRawBufferPointer(bytes))
        for byte in bytes {
            out.append(lowerHexDigit(byte >> 4))
            out.append(lowerHexDigit(byte & 0x0F))
        }
    }
}

private func lowerHexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
}
