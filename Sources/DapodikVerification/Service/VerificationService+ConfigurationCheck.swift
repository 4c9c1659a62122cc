import DapodikLanguage
import DapodikMail

// Settings the service can only find wrong when it sends: checked at once by a program that starts.
extension VerificationService.Configuration {
    /// Checks the settings a service would otherwise find wrong only when it sends: a
    /// ``senderName`` with a line break or NUL (every e-mail would fail to render, reported through
    /// ``onMisconfiguration`` only), and a ``returnPathLocalPart`` that makes no valid return address
    /// (every e-mail would go out with ``sender`` as its envelope sender, and no bounce could be
    /// matched to its message). Call it where your program starts, after setting these.
    /// - Throws: ``VerificationError/Code/invalidInput`` naming the setting, in both languages.
    public func validate() throws(VerificationError) {
        if senderName.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw VerificationError(
                .invalidInput,
                message: LocalizedText(
                    indonesian: "Nama pengirim email (senderName) tidak boleh berisi baris baru atau NUL.",
                    english: "The e-mail sender name (senderName) must not contain a line break or NUL."))
        }
        if let prefix = returnPathLocalPart {
            // The longest token the service writes: the message id (32 hex digits) and its tag.
            let token = String(repeating: "0", count: 32 + 2 * VerificationService.returnPathTagLength)
            guard (try? EmailAddress(prefix + "+" + token + "@" + sender.domain)) != nil else {
                throw VerificationError(
                    .invalidInput,
                    message: LocalizedText(
                        indonesian: "Bagian lokal alamat balasan (returnPathLocalPart) \"\(Self.visible(prefix))\" "
                            + "tidak membentuk alamat email yang sah: paling banyak 11 karakter yang boleh ada di "
                            + "alamat email, atau nil untuk tanpa alamat balasan.",
                        english: "The return-path local part (returnPathLocalPart) \"\(Self.visible(prefix))\" makes "
                            + "no valid e-mail address: at most 11 characters allowed in an address, or nil for "
                            + "no return address."))
            }
        }
    }

    /// `text` with control characters written as `U+XXXX`, so a message quoting it shows them.
    private static func visible(_ text: String) -> String {
        text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control
                ? "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) : String(scalar)
        }.joined()
    }
}

extension String {
    /// The string with `0` in front until it is `width` long.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
