import DapodikLanguage
import DapodikStorage

/// A stored record whose document does not decode: damaged, edited by hand, or written by another
/// program. Named by its key, so that an operator can find it; the service reports it as a
/// ``VerificationError/Code-swift.struct/storage`` failure whose message is this one's.
struct UnreadableRecord: LocalizedFailure {
    /// The record's key.
    let key: RecordKey
    /// What is wrong with its document, and where.
    let reason: LocalizedText

    var message: LocalizedText {
        LocalizedText(
            indonesian: "Rekaman tersimpan \(key) tidak dapat dibaca (rusak, diubah dengan tangan, atau ditulis "
                + "program lain): \(reason.indonesian).",
            english: "The stored record \(key) cannot be read (damaged, edited by hand, or written by another "
                + "program): \(reason.english).")
    }

    /// Decodes `record` with `decode`, naming the record when it fails.
    static func decoding<Value>(_ record: Record, _ decode: (Record) throws -> Value) throws(UnreadableRecord) -> Value
    {
        do {
            return try decode(record)
        } catch {
            throw UnreadableRecord(key: record.key, reason: describe(error))
        }
    }

    /// A decoder's error in a few words: what, and where in the document.
    private static func describe(_ error: any Error) -> LocalizedText {
        if let failure = error as? any LocalizedFailure { return failure.message }
        guard let decoding = error as? DecodingError else {
            return LocalizedText(indonesian: String(describing: error), english: String(describing: error))
        }
        let (context, what): (DecodingError.Context?, LocalizedText) =
            switch decoding {
            case .dataCorrupted(let context):
                (
                    context,
                    LocalizedText(
                        indonesian: "bukan JSON yang sah, atau nilai di luar batas",
                        english: "not valid JSON, or a value out of range")
                )
            case .keyNotFound(let key, let context):
                (
                    context,
                    LocalizedText(
                        indonesian: "\"\(key.stringValue)\" tidak ada",
                        english: "no \"\(key.stringValue)\"")
                )
            case .typeMismatch(_, let context):
                (context, LocalizedText(indonesian: "nilai berjenis salah", english: "a value of the wrong type"))
            case .valueNotFound(_, let context):
                (context, LocalizedText(indonesian: "nilai kosong", english: "a missing value"))
            @unknown default:
                (nil, LocalizedText(indonesian: "\(decoding)", english: "\(decoding)"))
            }
        let path = context?.codingPath.map(\.stringValue).joined(separator: ".") ?? ""
        guard !path.isEmpty else { return what }
        return LocalizedText(indonesian: "\(what.indonesian) di \(path)", english: "\(what.english) at \(path)")
    }
}
