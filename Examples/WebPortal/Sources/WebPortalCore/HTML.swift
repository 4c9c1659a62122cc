/// A piece of HTML that is safe to send: escaping by construction.
///
/// The only ways to make one are a string literal written in this code (trusted markup), and
/// interpolation, where every `String` (or any other value) is HTML-escaped and only another
/// ``HTML`` is inserted as it is. So text that came from a person (a name, an address) can never
/// become markup, whatever it contains.
public struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    public private(set) var markup: String

    /// The markup, as sent.
    public var description: String { markup }

    /// Trusted markup written in this code.
    /// - Parameter value: The literal.
    public init(stringLiteral value: String) {
        markup = value
    }

    /// Markup built by interpolation: text escaped, ``HTML`` inserted as is.
    /// - Parameter interpolation: The interpolation.
    public init(stringInterpolation interpolation: Interpolation) {
        markup = interpolation.markup
    }

    /// Joins pieces of markup.
    /// - Parameter pieces: The pieces, in order.
    public init(joining pieces: some Sequence<HTML>) {
        markup = pieces.map(\.markup).joined()
    }

    /// The interpolation that escapes everything but ``HTML``.
    public struct Interpolation: StringInterpolationProtocol {
        var markup = ""

        /// Reserves room.
        /// - Parameters:
        ///   - literalCapacity: The literal part's size.
        ///   - interpolationCount: The number of interpolations.
        public init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        /// Appends trusted markup from the literal.
        /// - Parameter literal: The literal part.
        public mutating func appendLiteral(_ literal: String) {
            markup += literal
        }

        /// Appends markup as it is.
        /// - Parameter html: Markup built the same safe way.
        public mutating func appendInterpolation(_ html: HTML) {
            markup += html.markup
        }

        /// Appends several pieces of markup.
        /// - Parameter pieces: The pieces.
        public mutating func appendInterpolation(_ pieces: [HTML]) {
            for piece in pieces { markup += piece.markup }
        }

        /// Appends text, escaped.
        /// - Parameter value: Any value; its description is escaped.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            markup += HTML.escape(value.description)
        }
    }

    /// Escapes text for an HTML text node or a quoted attribute value (OWASP XSS prevention rule 1
    /// and 2): `&`, `<`, `>`, `"` and `'`.
    /// - Parameter text: The text.
    /// - Returns: The escaped text.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
