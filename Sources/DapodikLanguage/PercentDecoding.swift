extension StringProtocol {
    /// The text with every `%XX` escape decoded; a malformed escape is kept as it is. For the parts of
    /// the URLs the integrations read (an SMTP user name, a PostgreSQL socket directory), where
    /// `FoundationEssentials` has no `removingPercentEncoding`.
    package var removingPercentEncodingIfValid: String {
        var bytes: [UInt8] = []
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let end = utf8.index(index, offsetBy: 3, limitedBy: utf8.endIndex),
                let value = UInt8(String(decoding: utf8[utf8.index(after: index)..<end], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index = end
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
