import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (HTML §4.10.21.7).
struct Form: Sendable {
    private let fields: [String: String]

    /// Parses a body; a field given twice keeps its first value.
    /// - Parameter body: The body's bytes.
    /// - Returns: `nil` when the body is not UTF-8, or a name or value has a `%` not followed by two
    ///   hexadecimal digits or decodes to bytes that are not UTF-8 (a browser sends neither): such a
    ///   form is refused whole, never stored with the escapes as text or with replacement characters.
    init?(body: [UInt8]) {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            else { return nil }
            if fields[name] == nil { fields[name] = value }
        }
        self.fields = fields
    }

    /// Whether a request's `Content-Type` declares such a form: the media type
    /// `application/x-www-form-urlencoded` in any case, with or without parameters such as
    /// `charset` (RFC 9110 §8.3.1: type and subtype are case-insensitive). What a browser sends for
    /// a `<form method="post">` without `enctype`.
    /// - Parameter contentType: The header's value; `nil` when the request has none.
    /// - Returns: `false` for any other type (`text/plain`, `multipart/form-data`) and for none.
    static func isDeclared(byContentType contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/x-www-form-urlencoded"
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// A field's value, or the empty string.
    subscript(_ name: String) -> String { fields[name] ?? "" }

    /// A field's value with surrounding white space removed.
    func trimmed(_ name: String) -> String { self[name].trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Whether a checkbox was ticked.
    func isChecked(_ name: String) -> Bool { fields[name] != nil }
}
