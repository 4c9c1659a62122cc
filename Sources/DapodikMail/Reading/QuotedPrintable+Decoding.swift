extension QuotedPrintable {
    /// Decodes quoted-printable octets (RFC 2045 §6.7): `=XX` becomes the octet it names, and a
    /// soft line break (`=` before CRLF, or before a bare LF) is removed.
    ///
    /// A `=` that starts neither is kept as it is, as RFC 2045 §6.7 note (2) suggests for robust
    /// decoders; hard line breaks are kept as they are.
    /// - Parameters:
    ///   - bytes: The encoded octets.
    ///   - underscoreIsSpace: Whether `_` stands for a space, as in the `Q` encoding of RFC 2047 §4.2.
    /// - Returns: The decoded octets.
    static func decode(_ bytes: some Collection<UInt8>, underscoreIsSpace: Bool = false) -> [UInt8] {
        let bytes = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "="), index + 1 < bytes.count {
                if bytes[index + 1] == 0x0D, index + 2 < bytes.count, bytes[index + 2] == 0x0A {
                    index += 3
                    continue
                }
                if bytes[index + 1] == 0x0A {
                    index += 2
                    continue
                }
                if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            out.append(underscoreIsSpace && byte == UInt8(ascii: "_") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
