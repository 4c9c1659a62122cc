#if canImport(FoundationEssentials)
    public import DapodikLanguage
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// What the receiving side reported about a code's e-mail after it accepted it: a bounce
/// (RFC 3464 delivery status notification, or an older text bounce) that came back to the
/// message's return address.
///
/// The sending server's "accepted" is not delivery: a full mailbox, an unknown user at the final
/// host or a spam filter can still return the mail minutes or days later. This says which, in
/// words fit for the person waiting, with advice that fits the status code: a full mailbox is not
/// a wrong address.
public struct ReturnedDelivery: Sendable, Hashable {
    /// Whether the e-mail was returned for good or is only delayed.
    public enum Outcome: String, Sendable, Hashable {
        /// Returned for good (a 5.x.x status): the code will not arrive.
        case failed
        /// Delayed (a 4.x.x status): the receiving side keeps trying until ``ReturnedDelivery/willRetryUntil``.
        case delayed
    }

    /// Returned for good, or delayed.
    public var outcome: Outcome
    /// The enhanced status code the report gave (RFC 3463), such as `5.2.2`.
    public var statusCode: DeliveryStatusCode
    /// When the bounce was read.
    public var reportedAt: Date
    /// Until when the receiving side keeps trying a delayed e-mail, if it said.
    public var willRetryUntil: Date?
    /// The receiving server's own words (`Diagnostic-Code`), on one line; text from outside, so
    /// show it as data.
    public var diagnostic: String?
    /// Why, in words: `kotak surat penuh` / `the mailbox is full`.
    public var reason: LocalizedText
    /// What to do about it, fitting the status code, worded for the reader of the status it came
    /// with: the account's holder (their own status) or the school's staff (the school report, or
    /// another account's status).
    public var advice: LocalizedText
    /// Whether the code says the address itself is wrong or unusable (unknown user, unknown or
    /// unreachable domain, disabled mailbox), so the operator should check and correct it. A full
    /// mailbox, a spam rejection or a server fault is not the address's fault.
    public var addressLikelyWrong: Bool
}

extension ReturnedDelivery {
    /// The reason and advice for a status code (RFC 3463 §3 and the IANA registry of enumerated
    /// status codes; `x.1.10` is RFC 7505's null MX, which Microsoft 365 also uses for an unknown
    /// recipient). The advice is told to `audience`.
    static func explanation(of code: DeliveryStatusCode, outcome: Outcome, for audience: StatusAudience) -> (
        reason: LocalizedText, advice: LocalizedText, addressLikelyWrong: Bool
    ) {
        let correct = audience.pick(
            holder: LocalizedText(
                indonesian: "Periksa ejaan alamat; bila salah, minta operator sekolah menggantinya, lalu minta kode "
                    + "baru.",
                english: "Check the spelling of the address; if it is wrong, ask the school operator to correct it, "
                    + "then ask for a new code."),
            operatorItself: LocalizedText(
                indonesian: "Periksa ejaan alamat; bila salah, betulkan alamat Email Aktif Anda, lalu minta kode baru.",
                english: "Check the spelling of the address; if it is wrong, correct your active e-mail address, "
                    + "then ask for a new code."),
            staff: LocalizedText(
                indonesian: "Periksa ejaan alamat dan ganti bila salah; lalu pemilik akun dapat meminta kode baru.",
                english: "Check the spelling of the address and correct it if it is wrong; the account's holder can "
                    + "then ask for a new code."))
        let failed = outcome == .failed
        switch (code.subject, code.detail) {
        case (1, 1), (1, 0), (1, 3), (1, 6), (1, 10):
            return (
                LocalizedText(
                    indonesian: "alamat ini tidak dikenal oleh server penerima",
                    english: "the receiving server does not know this address"), correct, failed
            )
        case (1, 2), (4, 4):
            return (
                LocalizedText(
                    indonesian: "domain alamat (bagian setelah @) tidak ditemukan atau tidak menerima email",
                    english: "the address's domain (the part after @) does not exist or takes no mail"), correct, failed
            )
        case (2, 2):
            return (
                LocalizedText(indonesian: "kotak surat penuh", english: "the mailbox is full"),
                audience.pick(
                    holder: LocalizedText(
                        indonesian: "Alamatnya benar: kosongkan kotak surat (hapus email lama) lalu minta kode baru; "
                            + "bila tidak bisa, minta operator sekolah mengganti alamat.",
                        english: "The address is right: make room in the mailbox (delete old mail), then ask for a "
                            + "new code; if that is not possible, ask the school operator to change the address."),
                    operatorItself: LocalizedText(
                        indonesian: "Alamatnya benar: kosongkan kotak surat (hapus email lama) lalu minta kode baru; "
                            + "bila tidak bisa, ganti alamat Email Aktif Anda.",
                        english: "The address is right: make room in the mailbox (delete old mail), then ask for a "
                            + "new code; if that is not possible, change your active e-mail address."),
                    staff: LocalizedText(
                        indonesian: "Alamatnya benar: pemilik akun perlu mengosongkan kotak suratnya (menghapus email "
                            + "lama) lalu meminta kode baru; bila tidak bisa, ganti alamatnya.",
                        english: "The address is right: the account's holder needs to make room in the mailbox "
                            + "(delete old mail), then ask for a new code; if that is not possible, change the "
                            + "address.")), false
            )
        case (2, 1):
            return (
                LocalizedText(
                    indonesian: "kotak surat dinonaktifkan atau tidak menerima pesan",
                    english: "the mailbox is disabled or takes no messages"),
                audience.pick(
                    holder: LocalizedText(
                        indonesian: "Aktifkan kembali kotak surat di penyedia email, atau minta operator sekolah "
                            + "mengganti alamat; lalu minta kode baru.",
                        english: "Reactivate the mailbox with the e-mail provider, or ask the school operator to "
                            + "change the address; then ask for a new code."),
                    operatorItself: LocalizedText(
                        indonesian: "Aktifkan kembali kotak surat di penyedia email, atau ganti alamat Email Aktif "
                            + "Anda; lalu minta kode baru.",
                        english: "Reactivate the mailbox with the e-mail provider, or change your active e-mail "
                            + "address; then ask for a new code."),
                    staff: LocalizedText(
                        indonesian: "Pemilik akun perlu mengaktifkan kembali kotak suratnya di penyedia email, atau "
                            + "ganti alamatnya; lalu pemilik akun dapat meminta kode baru.",
                        english: "The account's holder needs to reactivate the mailbox with the e-mail provider, or "
                            + "change the address; the account's holder can then ask for a new code.")), failed
            )
        case (7, _), (6, _):
            return (
                LocalizedText(
                    indonesian: "ditolak oleh penyaring server penerima (misalnya dianggap spam)",
                    english: "refused by the receiving server's filter (taken for spam, say)"),
                audience.pick(
                    LocalizedText(
                        indonesian: "Alamatnya mungkin benar: minta kode baru nanti; bila ditolak lagi, pakai alamat "
                            + "lain atau minta admin email penerima mengizinkan pengirim ini.",
                        english: "The address may well be right: ask for a new code later; if it is refused again, "
                            + "use another address or ask the recipient's mail administrator to allow this sender."),
                    LocalizedText(
                        indonesian: "Alamatnya mungkin benar: pemilik akun dapat meminta kode baru nanti; bila ditolak "
                            + "lagi, ganti alamatnya atau minta admin email penerima mengizinkan pengirim ini.",
                        english: "The address may well be right: the account's holder can ask for a new code later; "
                            + "if it is refused again, change the address or ask the recipient's mail administrator "
                            + "to allow this sender.")),
                false
            )
        default:
            return (
                LocalizedText(
                    indonesian: "server penerima tidak dapat menyampaikannya",
                    english: "the receiving server could not deliver it"),
                audience.pick(
                    holder: LocalizedText(
                        indonesian: "Minta kode baru nanti; bila dikembalikan lagi, minta operator sekolah memeriksa "
                            + "alamatnya.",
                        english: "Ask for a new code later; if it is returned again, ask the school operator to check "
                            + "the address."),
                    operatorItself: LocalizedText(
                        indonesian: "Minta kode baru nanti; bila dikembalikan lagi, periksa alamat Email Aktif Anda.",
                        english: "Ask for a new code later; if it is returned again, check your active e-mail "
                            + "address."),
                    staff: LocalizedText(
                        indonesian: "Pemilik akun dapat meminta kode baru nanti; bila dikembalikan lagi, periksa "
                            + "alamatnya.",
                        english: "The account's holder can ask for a new code later; if it is returned again, check "
                            + "the address.")), false
            )
        }
    }
}
