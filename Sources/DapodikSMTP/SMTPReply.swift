#if SMTP
    /// One reply of an SMTP server (RFC 5321 §4.2): a three-digit code and one or more lines of
    /// text, with the enhanced status code (RFC 3463) when the server gives one.
    package struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
        /// The reply code, such as 250, 451 or 550.
        public let code: Int
        /// The enhanced status code (RFC 3463), such as `"5.1.1"`, when the first line starts with
        /// one whose class matches the reply code's first digit.
        public let enhancedStatus: String?
        /// The text of each line, without the code and its separator.
        public let lines: [String]

        /// Creates a reply from its code and the text of its lines; the enhanced status code is
        /// read from the first line.
        /// - Parameters:
        ///   - code: The three-digit reply code.
        ///   - lines: The text after the code on each line (at least one, possibly empty).
        public init(code: Int, lines: [String]) {
            self.code = code
            self.lines = lines.isEmpty ? [""] : lines
            self.enhancedStatus = Self.enhancedStatus(in: self.lines[0], replyClass: code / 100)
        }

        /// The reply as the server wrote it, its lines joined with a space: `550 5.1.1 No such user`.
        public var description: String {
            "\(code) " + lines.joined(separator: " ")
        }

        /// 2yz: the command succeeded.
        var isPositiveCompletion: Bool { code / 100 == 2 }
        /// 4yz: refused for now; the same command may succeed later (RFC 5321 §4.2.1).
        var isTransientNegative: Bool { code / 100 == 4 }
        /// 421: the server is closing the session (RFC 5321 §3.8); whatever was asked, nothing
        /// more can be done on this connection.
        var isServiceClosing: Bool { code == 421 }

        /// Reads `class.subject.detail` at the start of a line (RFC 3463 §2: class 2, 4 or 5,
        /// subject of 1–3 digits, detail of 1–3 digits), if its class matches the reply's.
        private static func enhancedStatus(in line: String, replyClass: Int) -> String? {
            guard let token = line.split(separator: " ", maxSplits: 1).first else { return nil }
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "\(replyClass)", [2, 4, 5].contains(replyClass),
                parts[1...].allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) })
            else { return nil }
            return String(token)
        }
    }

    extension Character {
        /// Whether this is one of the ASCII digits 0–9.
        var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    }
#endif
