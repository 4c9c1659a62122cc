import Foundation

/// The verification code a message's text carries: the first line that is, spaces aside, exactly
/// six ASCII digits (the templates put the code on a line of its own), or `nil`.
public func verificationCode(in text: String) -> String? {
    text.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .first { $0.count == 6 && $0.allSatisfy { $0.isASCII && $0.isNumber } }
}
