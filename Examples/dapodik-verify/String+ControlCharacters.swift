extension String {
    /// The text as the program's messages show it: each control character (C0, DEL and C1, the
    /// Unicode general category Cc) written as Swift writes it in a literal, `\n`, `\r`, `\t` or
    /// `\u{1B}`, and everything else as it is.
    ///
    /// A message echoes what it was given (a path, an argument, a library's words that repeat them),
    /// and a terminal acts on control bytes: an ESC in a `--data` path could recolour, move the cursor
    /// or set the window title, a CR overwrite what the line said, an LF start a line that looks like
    /// the program's own. Escaped, the value reads as what it is.
    var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return self }
        var escaped = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": escaped.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": escaped.append(contentsOf: #"\r"#.unicodeScalars)
            case "\t": escaped.append(contentsOf: #"\t"#.unicodeScalars)
            case _ where scalar.properties.generalCategory == .control:
                escaped.append(contentsOf: #"\u{"#.unicodeScalars)
                escaped.append(contentsOf: String(scalar.value, radix: 16, uppercase: true).unicodeScalars)
                escaped.append("}")
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
