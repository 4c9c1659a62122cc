#if canImport(FoundationEssentials)
    public import DapodikLanguage
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension VerificationService {
    /// Everything a ``VerificationService`` needs: where it stores, how it sends, its keys,
    /// its policies and its clock.
    ///
    /// Only `store`, `transport`, `keyRing` and `sender` have no default; everything else starts
    /// at the values of the design's defaults table. The key ring is the one secret to manage: the
    /// key that seals codes waiting in the outbox is derived from it.
    public struct Configuration: Sendable {
        /// Where schools, accounts, challenges, the outbox and the event feed live.
        public var store: any RecordStore
        /// How e-mails leave: the dispatcher hands every outbox message to it.
        public var transport: any MailTransport
        /// The keys for code digests. Rotating: issue with the current key, accept any active one.
        public var keyRing: CodeKeyRing
        /// Explicit keys that seal codes in the outbox: the first seals, all of them unseal. Add a new
        /// key first and keep the old one until no queued message uses it (at most the code's 24
        /// hours).
        ///
        /// Empty by default (``init(store:transport:keyRing:sender:senderName:)``): codes are then
        /// sealed with a subkey of the key ring's current code key (HKDF-Expand, RFC 5869 §2.3, with
        /// a label of its own), so rotating the key ring rotates the seal too and there is no second
        /// secret to keep. Codes sealed either way stay readable as long as their key is here or in
        /// the key ring, so moving from explicit keys to the derived one needs no migration: clear
        /// this list once the queued messages sealed with it are done.
        package var outboxSealKeys: [OutboxSealKey]
        /// The code policy: lifetime, attempts, resends, per-address quota.
        public var policy: VerificationPolicy
        /// Hashes and checks passwords; the default is PBKDF2-HMAC-SHA256 at 600,000 iterations
        /// (OWASP Password Storage cheat sheet).
        public var passwordHasher: any PasswordHasher
        /// What a new password must satisfy (NIST SP 800-63B §3.1.1.2).
        public var passwordPolicy: PasswordPolicy
        /// Growing delays and then a temporary lock after failed logins.
        public var loginThrottle: LoginThrottlePolicy
        /// The bounds on wrong codes per account across challenges (15 a day, a growing wait after
        /// an exhausted challenge, 30 in a row until an unlock).
        public var wrongCodeLimits: AccountCodeLimits
        /// The address e-mails come from (`From:` and the SMTP envelope sender).
        public var sender: EmailAddress
        /// The display name e-mails come from, e.g. `"Verifikasi Dapodik"`.
        public var senderName: String
        /// The local part of the per-message return addresses (VERP, envelope sender
        /// `<this>+<token>@<sender domain>`), where bounces come back naming their message; see
        /// ``VerificationService/processBounce(_:deliveredTo:)``. Default `"bounce"`; at most 11
        /// characters so the address stays within 64 octets. `nil` sends with ``sender`` as the
        /// envelope sender, as before, and no bounce can be matched to its message. One that makes no
        /// valid address is not used (as `nil`); ``validate()`` refuses it at start.
        public var returnPathLocalPart: String?
        /// The language of e-mails and messages when a call does not say.
        public var defaultLanguage: Language
        /// How a person asks for a code in the front end, as the statuses and answers name it:
        /// the Dapodik portal's LANJUT button by default (``CodeRequestAction/lanjutButton``).
        public var codeRequestAction: CodeRequestAction
        /// How the outbox retries and leases messages.
        public var dispatch: DispatchOptions
        /// How many times a request re-reads and re-decides after a concurrent change to the same
        /// records before answering ``VerificationError/Code/busy``.
        public var maximumConflictRetries: Int
        /// The current time. Inject a hand-driven clock in tests; nothing in the service sleeps
        /// except ``VerificationService/runDispatcher(pollInterval:onTransientFailure:)``.
        public var now: @Sendable () -> Date
        /// A uniformly distributed number in `0..<1`, for retry jitter. The default draws from
        /// `SystemRandomNumberGenerator`.
        public var randomFraction: @Sendable () -> Double
        /// Called once for every delivery attempt that failed because the mail transport is
        /// misconfigured (wrong sendmail path, refused credentials), so an operator is alerted.
        public var onMisconfiguration: @Sendable (MailTransportError) -> Void

        /// Creates a configuration with the defaults for everything but the essentials, sealing
        /// codes in the outbox with a key derived from `keyRing` (HKDF-Expand, RFC 5869 §2.3).
        /// - Parameters:
        ///   - store: Where the service keeps its records.
        ///   - transport: How e-mails are sent.
        ///   - keyRing: The code keys: the only secret the service needs.
        ///   - sender: The `From:` address of every e-mail.
        ///   - senderName: The `From:` display name. A name with a line break makes every e-mail
        ///     fail to render; the dispatcher reports that through ``onMisconfiguration``, and
        ///     ``validate()`` refuses it at start.
        public init(
            store: any RecordStore, transport: any MailTransport, keyRing: CodeKeyRing, sender: EmailAddress,
            senderName: String = "Verifikasi Dapodik"
        ) {
            self.init(
                store: store, transport: transport, keyRing: keyRing, outboxSealKeys: [], sender: sender,
                senderName: senderName)
        }

        /// Creates a configuration with the defaults for everything but the essentials, sealing
        /// codes in the outbox with a separate, explicit key.
        ///
        /// Prefer ``init(store:transport:keyRing:sender:senderName:)``, which derives the seal key
        /// from the key ring so there is one secret fewer to keep and rotate.
        /// - Parameters:
        ///   - store: Where the service keeps its records.
        ///   - transport: How e-mails are sent.
        ///   - keyRing: The code keys.
        ///   - outboxSealKey: The key that seals codes waiting in the outbox.
        ///   - sender: The `From:` address of every e-mail.
        ///   - senderName: The `From:` display name.
        package init(
            store: any RecordStore, transport: any MailTransport, keyRing: CodeKeyRing, outboxSealKey: OutboxSealKey,
            sender: EmailAddress,
            senderName: String = "Verifikasi Dapodik"
        ) {
            self.init(
                store: store, transport: transport, keyRing: keyRing, outboxSealKeys: [outboxSealKey], sender: sender,
                senderName: senderName)
        }

        private init(
            store: any RecordStore, transport: any MailTransport, keyRing: CodeKeyRing, outboxSealKeys: [OutboxSealKey],
            sender: EmailAddress, senderName: String
        ) {
            self.store = store
            self.transport = transport
            self.keyRing = keyRing
            self.outboxSealKeys = outboxSealKeys
            self.policy = .default
            self.passwordHasher = PBKDF2PasswordHasher()
            self.passwordPolicy = PasswordPolicy()
            self.loginThrottle = LoginThrottlePolicy()
            self.wrongCodeLimits = AccountCodeLimits()
            self.sender = sender
            self.senderName = senderName
            self.returnPathLocalPart = "bounce"
            self.defaultLanguage = .default
            self.codeRequestAction = .lanjutButton
            self.dispatch = DispatchOptions()
            self.maximumConflictRetries = 32
            self.now = { Date() }
            self.randomFraction = { Double.random(in: 0..<1) }
            self.onMisconfiguration = { _ in }
        }
    }

    /// How the outbox dispatcher sends, retries and leases messages.
    ///
    /// Durations are clamped when the options are created and whenever one is set: a negative delay
    /// counts as zero, and a lease as at least one second (a lease that ends when it starts would let
    /// two dispatchers send one message at once).
    public struct DispatchOptions: Sendable, Hashable {
        /// The shortest lease: what a ``leaseDuration`` below it counts as.
        public static let minimumLeaseDuration: Duration = .seconds(1)

        /// Send a new message right after the commit that queued it, so the common case needs no
        /// dispatcher loop. A failure is recorded and retried by ``VerificationService/drainOutbox()``.
        /// A code's message is leased to the request in the commit that issues the code: should the
        /// process die before the send is recorded, a dispatcher sends it once ``leaseDuration`` has
        /// passed.
        public var sendImmediately: Bool
        /// The first retry delay after a transient failure. The n-th retry waits a uniformly random
        /// time in `[1 s, min(maximumRetryDelay, firstRetryDelay × 2^(n-1))]` ("full jitter",
        /// AWS Architecture Blog, *Exponential Backoff and Jitter*), so a recovering server is not
        /// hit by every queued message at once. Default 30 s.
        public var firstRetryDelay: Duration { didSet { firstRetryDelay = max(.zero, firstRetryDelay) } }
        /// The longest retry delay after a transient failure. Default 15 minutes, half the code
        /// lifetime, so a message that waits for a recovering server still arrives while its code is
        /// valid.
        public var maximumRetryDelay: Duration { didSet { maximumRetryDelay = max(.zero, maximumRetryDelay) } }
        /// The retry delay while the transport is misconfigured: slow, since a person must fix the
        /// server first. Default 5 minutes.
        public var misconfiguredRetryDelay: Duration {
            didSet { misconfiguredRetryDelay = max(.zero, misconfiguredRetryDelay) }
        }
        /// How long a dispatcher owns a message it is sending. If it crashes, another dispatcher
        /// retries the message once the lease expires (at-least-once delivery). Default 2 minutes.
        /// A transport that says how long a send may take (``MailTransport/longestSend``: a
        /// sendmail's timeout and grace, an SMTP submission's limit, the sum over a failover's
        /// routes) gets a lease of at least
        /// that plus ``leaseMargin``, so a slow send is never sent a second time by another
        /// dispatcher while it is still under way.
        public var leaseDuration: Duration {
            didSet { leaseDuration = max(Self.minimumLeaseDuration, leaseDuration) }
        }
        /// What a lease has beyond the transport's ``MailTransport/longestSend``: the time to record
        /// the attempt after the send.
        public static let leaseMargin: Duration = .seconds(30)

        /// The lease for a send through `transport`: ``leaseDuration``, or longer when the
        /// transport's longest send needs it.
        /// - Parameter transport: The transport that will send.
        /// - Returns: The lease.
        public func lease(sendingThrough transport: any MailTransport) -> Duration {
            guard let longest = transport.longestSend else { return leaseDuration }
            return max(leaseDuration, longest + Self.leaseMargin)
        }

        /// How many due messages one ``VerificationService/drainOutbox()`` round reads at a time, and
        /// the most messages past their ``retention`` one round removes.
        public var batchSize: Int

        /// How long a message stays in the outbox once done with (handed over, refused for good,
        /// expired or cancelled), counted from then or from the last bounce recorded on it; then a
        /// ``VerificationService/drainOutbox()`` round removes it, and a bounce that still comes back
        /// about it changes nothing (``BounceProcessingResult/Outcome/unknownMessage``). The messages
        /// of an account's latest challenge are kept until a later challenge replaces it, since its
        /// delivery status reads them. Default 30 days: a report of delay or failure comes within the
        /// sending mail server's queue lifetime, 5 days in Postfix (`maximal_queue_lifetime`) and
        /// sendmail (`Timeout.queuereturn`), and RFC 5321 §4.5.4.1 asks for at least 4–5 days; 30
        /// days leaves room for a chain of relays and for a late report after a delay. At least zero.
        public var retention: Duration { didSet { retention = max(.zero, retention) } }

        /// The defaults described on each property, clamped as the type describes.
        public init(
            sendImmediately: Bool = true, firstRetryDelay: Duration = .seconds(30),
            maximumRetryDelay: Duration = .seconds(15 * 60), misconfiguredRetryDelay: Duration = .seconds(5 * 60),
            leaseDuration: Duration = .seconds(120), batchSize: Int = 100, retention: Duration = .seconds(30 * 86_400)
        ) {
            self.sendImmediately = sendImmediately
            self.firstRetryDelay = max(.zero, firstRetryDelay)
            self.maximumRetryDelay = max(.zero, maximumRetryDelay)
            self.misconfiguredRetryDelay = max(.zero, misconfiguredRetryDelay)
            self.leaseDuration = max(Self.minimumLeaseDuration, leaseDuration)
            self.batchSize = batchSize
            self.retention = max(.zero, retention)
        }
    }
}
