extension String {
    /// The text as the program's messages show it: each character that would act on the terminal or
    /// on how the line reads, written as Swift writes it in a literal (`\n`, `\r`, `\t`, `\u{1B}`), a
    /// backslash doubled (`\\`), and everything else as it is.
    ///
    /// Escaped are the control characters (C0, DEL and C1, the Unicode general category Cc), the line
    /// and paragraph separators (U+2028, U+2029), and the bidirectional controls (U+202E and the
    /// others that reorder what follows them, as in "Trojan Source"). A message echoes what it was
    /// given (a path, an argument, a library's words that repeat them), and a terminal acts on control
    /// bytes: an ESC in a `--data` path could recolour, move the cursor or set the window title, a CR
    /// overwrite what the line said, an LF start a line that looks like the program's own, a
    /// right-to-left override show a name backwards. The backslash is doubled so that a path holding a
    /// backslash and an `n` does not read as one holding a line break. Escaped, the value reads as
    /// what it is.
    var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: { $0 == "\\" || Self.isEscaped($0) }) else { return self }
        var escaped = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: #"\\"#.unicodeScalars)
            case "\n": escaped.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": escaped.append(contentsOf: #"\r"#.unicodeScalars)
            case "\t": escaped.append(contentsOf: #"\t"#.unicodeScalars)
            case _ where Self.isEscaped(scalar):
                escaped.append(contentsOf: #"\u{"#.unicodeScalars)
                escaped.append(contentsOf: String(scalar.value, radix: 16, uppercase: true).unicodeScalars)
                escaped.append("}")
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// Whether `scalar` is written as an escape: a control character, a line or paragraph
    /// separator, or a bidirectional control.
    private static func isEscaped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: scalar.properties.isBidiControl
        }
    }
}
