#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

extension VerificationChallenge {
    /// The challenge with the hand-over of code `ordinal`'s message recorded: the moment a mail
    /// transport accepted it, from which the code's 30-minute lifetime runs.
    ///
    /// The first recorded hand-over counts; recording another (a retry whose earlier receipt did
    /// arrive after all) changes nothing, so a code's expiry never moves later.
    /// - Parameters:
    ///   - ordinal: The code's number.
    ///   - time: When the transport accepted the message.
    /// - Returns: The challenge to store.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/unknownCodeNumber`` when no code has that number,
    ///   and ``CodeError/Code/invalidTime`` when `time` is before the code was issued. A hand-over
    ///   recorded after the challenge was verified, cancelled or exhausted is *not* an error: it
    ///   is a fact about the mail.
    public func recordingHandOver(ofCode ordinal: Int, at time: Date) throws(CodeError) -> VerificationChallenge {
        guard let issued = code(numbered: ordinal) else {
            throw CodeError(
                .unknownCodeNumber, indonesian: "Kode nomor \(ordinal) tidak ada dalam permintaan verifikasi ini.",
                english: "This verification challenge has no code number \(ordinal).")
        }
        guard time >= issued.issuedAt else {
            throw CodeError(
                .invalidTime, indonesian: "Waktu penyerahan email tidak boleh lebih awal dari waktu kode dibuat.",
                english: "A message cannot be handed over before its code was issued.")
        }
        guard issued.handedOverAt == nil else { return self }
        var next = self
        next.codes[ordinal - 1].handedOverAt = time
        return next
    }

    /// The challenge cancelled: no code is issued or accepted any more.
    /// - Parameters:
    ///   - reason: Why.
    ///   - time: Now.
    /// - Returns: The challenge to store.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/challengeClosed`` unless the challenge is
    ///   open; a verified address stays verified.
    public func cancelling(because reason: CancellationReason, at time: Date) throws(CodeError)
        -> VerificationChallenge
    {
        guard state.isOpen else {
            throw CodeError(
                .challengeClosed,
                indonesian: "Permintaan verifikasi ini sudah selesai (terverifikasi, dibatalkan, atau dikunci).",
                english: "This verification challenge is already closed (verified, cancelled, or locked).")
        }
        var next = self
        next.state = .cancelled(reason: reason, at: time)
        return next
    }
}
