#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// What one ``VerificationService/drainOutbox()`` did.
public struct DispatchSummary: Sendable, Hashable {
    /// Messages handed to the transport.
    public var handedOver = 0
    /// Messages that failed transiently and are scheduled again.
    public var retrying = 0
    /// Each message of ``retrying``: to whom, and what the transport said.
    public var transientFailures: [TransientFailure] = []
    /// Messages that failed permanently (the address does not exist, the server refused it).
    public var failed = 0
    /// Messages that failed because the transport is misconfigured. Non-zero means a person must
    /// fix the mail setup; the messages are retried slowly meanwhile.
    public var misconfigured = 0
    /// Code messages not sent because their code expired (24 hours after issue).
    public var expired = 0
    /// Code messages not sent because their challenge closed (verified, or the address changed).
    public var cancelled = 0
    /// Messages that could not be read or dispatched this round (a damaged record, a store
    /// failure), in the order the round met them, each with its recipient when known and the reason
    /// in every language; each is tried again in the next round, and the messages behind it were
    /// dispatched all the same.
    public var unprocessable: [Unprocessable] = []
    /// Messages removed from the outbox: done with for longer than
    /// ``VerificationService/DispatchOptions/retention`` and no longer read by any status. Not counted
    /// by ``isEmpty``: removing is housekeeping, not a message looked at.
    public var removed = 0
    /// The earliest time a message will be due again, if any is waiting.
    public var nextDueAt: Date?
    /// The time zone of the school whose message is due next (with ``nextDueAt``), to show that
    /// time as the school's people read it.
    public var nextDueTimeZone: SchoolTimeZone?

    /// An empty summary.
    public init() {}

    /// Whether anything was looked at.
    public var isEmpty: Bool {
        handedOver + retrying + failed + misconfigured + expired + cancelled + unprocessable.count == 0
    }

    mutating func count(_ outcome: DispatchOutcome) {
        switch outcome {
        case .handedOver: handedOver += 1
        case .retrying(let failure):
            retrying += 1
            transientFailures.append(failure)
        case .failed: failed += 1
        case .misconfigured: misconfigured += 1
        case .expired: expired += 1
        case .cancelled: cancelled += 1
        }
    }
}

extension DispatchSummary {
    /// A message that failed for now in this round and is tried again later, and why.
    public struct TransientFailure: Sendable, Hashable {
        /// The outbox message's id.
        public var id: UUID
        /// The address the message is for.
        public var recipient: EmailAddress
        /// What the transport said: its code, the mail server's reply if one came
        /// (``MailTransportError/serverReply``), and the detail for an administrator. It never holds
        /// the message's verification code: a transport that quoted it (a program echoing its input)
        /// has it masked.
        public var error: MailTransportError

        /// Creates a failure (the dispatcher reports them; apps and tests may build one).
        /// - Parameters:
        ///   - id: The outbox message's id.
        ///   - recipient: The address the message is for.
        ///   - error: What the transport said.
        public init(id: UUID, recipient: EmailAddress, error: MailTransportError) {
            self.id = id
            self.recipient = recipient
            self.error = error
        }
    }
}

/// How one dispatch of one message ended.
enum DispatchOutcome: Equatable {
    case handedOver
    case retrying(DispatchSummary.TransientFailure)
    case failed
    case misconfigured
    case expired
    case cancelled
}

/// What one dispatch of a message did.
struct DispatchReport {
    /// How the attempt ended.
    var outcome: DispatchOutcome
    /// The message as the attempt's record committed it, and the challenge as its hand-over left
    /// it, when a hand-over was recorded at the first try against the challenge as it was before
    /// the send; `nil` for anything else (a failed or abandoned send, a conflict, a lease taken over).
    var recorded: (message: OutboxMessage, challenge: VerificationChallenge)? = nil
}
