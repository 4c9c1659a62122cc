import Foundation

/// The bounce fixtures of Fixtures/Bounces (see its README), with their placeholders filled in.
enum BounceFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Bounces")

    static let returnPath = "bounce+0123456789abcdef0123456789abcdef0123456789abcdef0123@sekolah.example"
    static let recipient = "siti.rahmawati@penerima.example"
    static let messageID = "5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f@sekolah.example"

    /// The fixture `name` (without `.eml`) with the placeholders replaced, LF or CRLF line ends.
    static func bytes(
        _ name: String, returnPath: String = returnPath, recipient: String = recipient, messageID: String = messageID,
        crlf: Bool = false
    ) throws -> [UInt8] {
        var text = try String(contentsOf: directory.appendingPathComponent(name + ".eml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "%RETURN_PATH%", with: returnPath)
            .replacingOccurrences(of: "%RECIPIENT%", with: recipient)
            .replacingOccurrences(of: "%MESSAGE_ID%", with: messageID)
        if crlf { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
        return Array(text.utf8)
    }
}
