import DapodikVerification
import HTTPTypes
import Logging

// What a visitor is told when the store cannot be used now (a lock another process holds, a disk
// or database failure): the library's words name files, locks and operations that are the
// deployer's business, not the visitor's, so the visitor gets a plain "try again", and the
// deployer gets the library's words in the log. Telling and logging are two steps: a page computes
// what to say as often as it likes, and the place that caught the error logs it once.
extension Portal {
    /// Whether `error` is the store's trouble (``VerificationError/Code/storage``,
    /// ``VerificationError/Code/busy``, or ``VerificationError/Code/storeNeedsUpgrade``: a store
    /// upgraded without its one-off run), not something the visitor did or can mend.
    static func isStoreTrouble(_ error: VerificationError) -> Bool {
        error.code == .storage || error.code == .busy || error.code == .storeNeedsUpgrade
    }

    /// What the visitor is told of `error`: the library's own words, or for the store's trouble a
    /// plain "the server is busy, try again". Writes nothing: the caller logs the store's trouble
    /// with ``logStoreTrouble(_:)``.
    func visitorMessage(_ error: VerificationError) -> LocalizedText {
        guard Self.isStoreTrouble(error) else { return error.message }
        if error.code == .storeNeedsUpgrade {
            return LocalizedText(
                indonesian: "Layanan sedang diperbarui, jadi alamat email belum dapat didaftarkan, diubah atau "
                    + "diverifikasi. Tidak ada yang berubah; coba lagi nanti.",
                english: "The service is being upgraded, so e-mail addresses cannot be registered, changed or "
                    + "verified yet. Nothing was changed; try again later.")
        }
        return LocalizedText(
            indonesian: "Server sedang sibuk dan tidak dapat menyimpan atau membaca data saat ini. Coba lagi beberapa "
                + "saat lagi.",
            english: "The server is busy and cannot save or read data just now. Try again in a few moments.")
    }

    /// Writes the library's words for the store's trouble to the deployer's log
    /// (``PortalConfiguration/storeTroubleLogger``), as an error; nothing for any other error, which
    /// the visitor did or can mend.
    func logStoreTrouble(_ error: VerificationError) {
        guard Self.isStoreTrouble(error) else { return }
        configuration.storeTroubleLogger.error(
            "The store cannot be used now",
            metadata: ["code": .string(error.code.rawValue), "error": .string(error.message.english)])
    }

    /// The status of a page that tells the visitor of `error`: 503 for the store's trouble,
    /// `otherwise` for the rest.
    func visitorStatus(_ error: VerificationError, otherwise: HTTPResponse.Status) -> HTTPResponse.Status {
        Self.isStoreTrouble(error) ? .serviceUnavailable : otherwise
    }
}
