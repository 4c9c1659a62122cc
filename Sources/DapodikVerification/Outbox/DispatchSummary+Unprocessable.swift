#if canImport(FoundationEssentials)
    public import DapodikLanguage
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension DispatchSummary {
    /// A message the dispatcher could not read or dispatch in one round, and why: it stays in the
    /// outbox and is tried again in the next round, so whoever drains the outbox must see it (a
    /// damaged record stays unprocessable until a person repairs or removes it).
    ///
    /// The reason comes from the store or the record's decoder, which never see a verification
    /// code (the outbox holds it sealed), so it can be shown to whoever runs the mail setup.
    public struct Unprocessable: Sendable, Hashable {
        /// The outbox message's id.
        public var id: UUID
        /// The address the message is for, when its record could be read (`nil` for a record whose
        /// stored bytes do not decode).
        public var recipient: EmailAddress?
        /// The kind of failure: ``VerificationError/Code-swift.struct/storage`` (the store failed, or
        /// the record is damaged) or ``VerificationError/Code-swift.struct/busy`` (the store was out of
        /// reach for now, or held too long by another process).
        public var code: VerificationError.Code
        /// Why the message could not be processed, for a person, in every supported language.
        public var reason: LocalizedText

        /// Creates an entry (the dispatcher reports them; apps and tests may build one).
        /// - Parameters:
        ///   - id: The outbox message's id.
        ///   - recipient: The address the message is for, if known.
        ///   - code: The kind of failure.
        ///   - reason: Why the message could not be processed.
        public init(id: UUID, recipient: EmailAddress?, code: VerificationError.Code, reason: LocalizedText) {
            self.id = id
            self.recipient = recipient
            self.code = code
            self.reason = reason
        }

        /// The reason in the given language.
        /// - Parameter language: The language to read.
        /// - Returns: ``reason`` in `language`.
        public func description(in language: Language) -> String { reason.text(in: language) }
    }
}

extension DispatchSummary.Unprocessable {
    /// The entry for the message `id`, whose dispatch threw `error`: a store that was out of reach
    /// for now is ``VerificationError/Code-swift.struct/busy``, anything else
    /// ``VerificationError/Code-swift.struct/storage``, as ``VerificationService`` maps the store's
    /// errors for every call.
    init(id: UUID, recipient: EmailAddress?, error: any Error) {
        let code: VerificationError.Code = VerificationError.mapping(error).code == .busy ? .busy : .storage
        let reason =
            (error as? any LocalizedFailure)?.message
            ?? LocalizedText(indonesian: String(describing: error), english: String(describing: error))
        self.init(id: id, recipient: recipient, code: code, reason: reason)
    }
}
