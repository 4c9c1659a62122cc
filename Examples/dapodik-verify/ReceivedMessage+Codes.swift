import DapodikVerification
import Foundation

extension ReceivedMessage {
    /// The plain-text body, or nothing when the message has none the library reads.
    var text: String { plainText ?? "" }

    /// Verification codes in the text: lines that hold only 4 to 10 digits (the templates put the
    /// code alone on its line).
    var codes: [String] {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { (4...10).contains($0.count) && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
