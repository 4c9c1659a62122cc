#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Decoding of RFC 2047 encoded words in header values (`=?charset?Q?…?=`, `=?charset?B?…?=`),
/// assuming UTF-8, the only charset this library writes.
enum EncodedWords {
    /// The header value with every encoded word replaced by its text.
    ///
    /// White space between two adjacent encoded words is dropped (RFC 2047 §6.2); text that only
    /// looks like the start of an encoded word is kept as it is.
    static func decode(_ value: String) -> String {
        var result = ""
        var rest = Substring(value)
        var lastWasEncoded = false
        while let start = rest.firstRange(of: "=?") {
            let before = rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            let pieces = afterStart.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard pieces.count == 4, pieces[3].hasPrefix("="), let encoding = pieces[1].first else {
                result += rest[..<start.upperBound]
                rest = afterStart
                lastWasEncoded = false
                continue
            }
            if !(lastWasEncoded && before.allSatisfy(\.isWhitespace)) { result += before }
            let payload = pieces[2]
            let bytes: [UInt8] =
                if encoding == "B" || encoding == "b" {
                    Data(base64Encoded: String(payload)).map { Array($0) } ?? Array(payload.utf8)
                } else {
                    QuotedPrintable.decode(payload.utf8, underscoreIsSpace: true)
                }
            result += String(decoding: bytes, as: UTF8.self)
            rest = pieces[3].dropFirst()
            lastWasEncoded = true
        }
        return result + rest
    }
}
