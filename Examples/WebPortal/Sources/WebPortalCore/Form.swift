import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (HTML §4.10.21.7).
struct Form: Sendable {
    private let fields: [String: String]

    /// Parses a body; a field given twice keeps its first value.
    /// - Parameter body: The body's bytes.
    init(body: [UInt8]) {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if fields[name] == nil { fields[name] = value }
        }
        self.fields = fields
    }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// A field's value, or the empty string.
    subscript(_ name: String) -> String { fields[name] ?? "" }

    /// A field's value with surrounding white space removed.
    func trimmed(_ name: String) -> String { self[name].trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Whether a checkbox was ticked.
    func isChecked(_ name: String) -> Bool { fields[name] != nil }
}
