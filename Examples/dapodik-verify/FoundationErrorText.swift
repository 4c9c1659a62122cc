import DapodikHostSystem
import DapodikVerification
import Foundation

/// The reasons of failures Foundation reports, in the words of the person's language.
enum FoundationErrorText {
    /// What a failure Foundation reported means, in words a person acts on: the POSIX `errno` under
    /// it (a `POSIXError`, or the `NSUnderlyingErrorKey` of a `CocoaError` such as the one
    /// `FileManager.createDirectory` throws), read by the library's `ErrnoText`.
    /// - Parameters:
    ///   - error: The error Foundation threw.
    ///   - file: The file concerned, when the error does not name one itself.
    /// - Returns: The reason in Indonesian and English; Foundation's own (English) description when
    ///   no `errno` lies under the error.
    static func reason(of error: any Error, file: String? = nil) -> LocalizedText {
        guard let number = errno(under: error) else {
            let text = error.localizedDescription
            return LocalizedText(indonesian: text, english: text)
        }
        let named = (error as NSError).userInfo[NSFilePathErrorKey] as? String
        return ErrnoText.reason(number, file: named ?? file)
    }

    /// The `errno` a Foundation error carries, itself or in its chain of underlying errors.
    static func errno(under error: any Error) -> Int32? {
        var current: (any Error)? = error
        var depth = 0
        while let candidate = current, depth < 8 {
            if let posix = candidate as? POSIXError { return posix.code.rawValue }
            let bridged = candidate as NSError
            if bridged.domain == NSPOSIXErrorDomain { return Int32(truncatingIfNeeded: bridged.code) }
            // On Linux an underlying error is not bridged by `as? NSError`; read it as an `Error`.
            current = bridged.userInfo[NSUnderlyingErrorKey] as? any Error
            depth += 1
        }
        return nil
    }
}
