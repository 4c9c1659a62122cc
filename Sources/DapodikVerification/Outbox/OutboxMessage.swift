import DapodikCrypto

#if canImport(FoundationEssentials)
    import DapodikLanguage
    import FoundationEssentials
#else
    import Foundation
#endif

/// An e-mail waiting in, or done with, the durable outbox.
///
/// Written in the same commit as the change that needs it (a code issued, an address changed);
/// the dispatcher renders and sends it later, at least once, always with the same Message-ID.
struct OutboxMessage: Codable {
    enum Content: Codable {
        case verificationCode(CodeContent)
        case addressChangeNotice(NoticeContent)
    }

    struct CodeContent: Codable {
        var challenge: ChallengeID
        var ordinal: Int
        var purpose: VerificationPurpose
        /// `nil` once the message is handed over, expired or cancelled.
        var sealedCode: CodeSeal?
        var issuedAt: Date
        var username: String
    }

    struct NoticeContent: Codable {
        /// The new address; the notice shows it masked.
        var newAddress: EmailAddress
        var username: String
        var changedBy: String
        var changedAt: Date
    }

    enum State: Codable, Hashable {
        case queued
        /// Leased to a sender since `since` (`nil` in records written before the start was kept), until
        /// `leaseUntil`: after that, a dispatcher may send it again.
        case sending(leaseUntil: Date, since: Date?)
        case retrying(nextAttemptAt: Date, disposition: Disposition)
        case handedOver(at: Date)
        case failed(at: Date)
        case expired(at: Date)
        case cancelled(at: Date)
    }

    /// How an attempt ended.
    enum Disposition: String, Codable, Hashable {
        case handedOver
        case transient
        case permanent
        case misconfigured
    }

    struct Attempt: Codable, Hashable {
        var at: Date
        var disposition: Disposition
        var replyCode: Int?
        var exitStatus: Int32?
        /// The transport's secret-free detail or, on success, its response: for the staff, as it
        /// may name local programs and files.
        var detail: String?
        /// The refusing server's own reply (``MailTransportError/serverReply``): what a delivery
        /// status shows the person waiting. Absent from attempts recorded before it existed.
        var serverReply: String?
        /// `true` when the whole message went out and the server's answer was lost
        /// (``MailTransportError/Code/outcomeUnknown``): the message may already be in the inbox.
        /// Absent otherwise, and from attempts recorded before it existed.
        var outcomeUnknown: Bool?
    }

    var id: UUID
    /// The RFC 5322 Message-ID (without angle brackets), fixed when the message is queued.
    var messageID: String
    var content: Content
    var recipient: EmailAddress
    var recipientName: String
    var account: AccountID
    var school: String
    var schoolName: String
    var timeZone: SchoolTimeZone
    var language: Language
    var createdAt: Date
    var state: State
    var attempts: [Attempt]
    /// What a bounce said after hand-over, if one came back (VerificationService+Bounces.swift).
    var returned: ReturnRecord?
    /// When a delay that `returned` held ended: the receiving side reported the message delivered
    /// or passed on after all (VerificationService+Bounces.swift). `returned` is then `nil`.
    var delayEnded: DelayEndRecord?

    /// When the dispatcher should look at it next, or `nil` when it is done.
    var dueAt: Date? {
        switch state {
        case .queued: createdAt
        case .sending(let leaseUntil, _): leaseUntil
        case .retrying(let next, _): next
        case .handedOver, .failed, .expired, .cancelled: nil
        }
    }

    /// When the message was last done with: when it reached a final state (handed over, failed,
    /// expired, cancelled) or, later, when a bounce about it was recorded (``returned``,
    /// ``delayEnded``); `nil` while the dispatcher still has work with it. Retention runs from here
    /// (``DispatchOptions/retention``).
    var finishedAt: Date? {
        switch state {
        case .queued, .sending, .retrying: nil
        case .handedOver(let at), .failed(let at), .expired(let at), .cancelled(let at):
            [at, returned?.reportedAt, delayEnded?.reportedAt].compactMap { $0 }.max()
        }
    }

    var codeContent: CodeContent? {
        if case .verificationCode(let code) = content { code } else { nil }
    }

    /// Erases the sealed code: once handed over (or abandoned) the outbox has no further use for it.
    mutating func eraseCode() {
        if case .verificationCode(var code) = content {
            code.sealedCode = nil
            content = .verificationCode(code)
        }
    }
}

extension OutboxMessage {
    /// A new message for `account` at `school`, queued at `time`: the one place a message gets its
    /// names, a fresh id and the RFC 5322 Message-ID `<id>@<senderDomain>` (RFC 5322 §3.6.4), which
    /// `content` receives because a sealed code is bound to it.
    init(
        queuing content: (_ messageID: String) -> Content, to recipient: EmailAddress, of account: Account,
        school: School, language: Language, at time: Date, senderDomain: String
    ) {
        let id = Crypto.randomUUID()
        let messageID = id.text() + "@" + senderDomain
        self.init(
            id: id, messageID: messageID, content: content(messageID), recipient: recipient,
            recipientName: account.displayName.value, account: account.id, school: school.npsn.description,
            schoolName: school.name.value, timeZone: school.timeZone, language: language, createdAt: time,
            state: .queued, attempts: [])
    }
}
