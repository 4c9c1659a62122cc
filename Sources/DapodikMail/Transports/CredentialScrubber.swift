// Keeps credentials out of error details, which end up in logs, stores and screens.

enum CredentialScrubber {
    static let mask = "[REDACTED]"

    /// `text` with anything that looks like a credential replaced by `[REDACTED]`: the password of
    /// a URL's user information (`smtp://user:secret@host`, RFC 3986 §3.2.1), the value after a
    /// word like `password`, `passwd`, `pass`, `secret`, `token` or `key` followed by `=`, `:` or a
    /// space, and the argument of an SMTP `AUTH` command (RFC 4954 §4), which is a base64
    /// credential. Control characters (C0, DEL and C1, which a terminal may obey) become spaces so
    /// the detail stays one line and prints as text.
    static func scrub(_ text: String) -> String {
        var words = text.map { character in
            character.unicodeScalars.contains { $0.properties.generalCategory == .control } ? " " : String(character)
        }.joined()
        words = scrubURLPasswords(words)
        let tokens = words.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        var redactNext = 0
        for token in tokens {
            if redactNext > 0, !token.isEmpty {
                out.append(mask)
                redactNext -= 1
                continue
            }
            let lower = token.lowercased()
            if let separator = lower.firstIndex(where: { $0 == "=" || $0 == ":" }),
                isSecretKey(String(lower[..<separator]))
            {
                let keyEnd = token.index(
                    token.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: separator))
                let value = token[token.index(after: keyEnd)...]
                out.append(String(token[...keyEnd]) + (value.isEmpty ? "" : mask))
                if value.isEmpty { redactNext = 1 }
                continue
            }
            if isSecretKey(lower.trimmingEnds(of: "-\"'")) {
                redactNext = 1
            } else if lower == "auth" {
                redactNext = 2  // mechanism name, then the initial response
                out.append(token)
                continue
            }
            out.append(token)
        }
        return out.joined(separator: " ")
    }

    private static func isSecretKey(_ key: String) -> Bool {
        let stripped = key.trimmingEnds(of: "-\"'")
        return ["password", "passwd", "pass", "pwd", "secret", "token", "apikey", "api_key", "passwordeval"]
            .contains(stripped)
    }

    /// `scheme://user:password@host` → `scheme://user:[REDACTED]@host`.
    private static func scrubURLPasswords(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let schemeEnd = rest.firstRange(of: "://") {
            result += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == " " }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result += authority[...colon] + mask + authority[at...]
            } else {
                result += authority
            }
            rest = rest[authorityEnd...]
        }
        return result + rest
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `characters`.
    func trimmingEnds(of characters: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
