/// An enhanced mail system status code (RFC 3463): `class.subject.detail`, such as `5.1.1`
/// (bad destination mailbox) or `4.2.2` (mailbox full, try later).
///
/// The class says whether delivery failed for good (5), for now (4) or succeeded (2); the subject
/// and detail say why (RFC 3463 §3, and the IANA "Enumerated Status Codes" registry).
public struct DeliveryStatusCode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    public let statusClass: Int
    /// What the failure concerns: 1 addressing, 2 mailbox, 3 mail system, 4 network and routing,
    /// 5 mail delivery protocol, 6 message content, 7 security or policy (RFC 3463 §3.1–§3.8).
    public let subject: Int
    /// The detail within the subject (`5.2.2`: the mailbox is full).
    public let detail: Int

    /// Reads a status code written as `class.subject.detail`; RFC 3463 §2 allows 1–3 digits in the
    /// subject and the detail.
    /// - Parameter text: The code, such as `"5.1.1"`.
    /// - Returns: The code, or `nil` when `text` is not one (a class other than 2, 4 or 5 included).
    public init?(_ text: some StringProtocol) {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count == 3,
            pieces.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
            let statusClass = Int(pieces[0]), let subject = Int(pieces[1]), let detail = Int(pieces[2]),
            pieces[0].count == 1, [2, 4, 5].contains(statusClass)
        else { return nil }
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Creates a code from its three numbers.
    /// - Parameters:
    ///   - statusClass: 2, 4 or 5.
    ///   - subject: The subject, 0–999.
    ///   - detail: The detail, 0–999.
    /// - Returns: `nil` for a class other than 2, 4 or 5, or numbers outside 0–999.
    public init?(statusClass: Int, subject: Int, detail: Int) {
        guard [2, 4, 5].contains(statusClass), (0...999).contains(subject), (0...999).contains(detail) else {
            return nil
        }
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// The code as written, such as `5.1.1`.
    public var description: String { "\(statusClass).\(subject).\(detail)" }

    /// Whether delivery failed for good (class 5).
    public var isPermanentFailure: Bool { statusClass == 5 }

    /// Whether delivery is delayed and still being tried (class 4).
    public var isTransientFailure: Bool { statusClass == 4 }

    /// The first status code written in `text` as a word of its own (`550 5.1.1 <x>: unknown`
    /// gives `5.1.1`), or `nil`.
    /// - Parameter text: Free text such as an SMTP reply or a diagnostic.
    /// - Returns: The code found, if any.
    public static func first(in text: some StringProtocol) -> DeliveryStatusCode? {
        for word in words(of: text) {
            if let code = DeliveryStatusCode(word) { return code }
        }
        return nil
    }

    /// The words of `text`, split at anything that cannot be part of a status code, so
    /// `550-5.1.1` and `(5.2.2)` give their codes.
    static func words(of text: some StringProtocol) -> [Substring] {
        Substring(text).split { character in
            !(character.isASCII && (character.isNumber || character == "."))
        }
    }
}
