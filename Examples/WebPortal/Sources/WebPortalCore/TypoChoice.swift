import DapodikVerification

/// The explicit choice after the library answered "possible typo" for an address (`gmial.com`):
/// take its suggestion, or keep the address as typed because the unusual domain is right.
enum TypoChoice {
    /// The address and the confirmation a form asks for, after the choice (if any) was made.
    /// - Parameter form: The submitted form, with `email` and, after a suggestion, `saran`,
    ///   `pakai_saran` (the button that takes it) and `tetap_pakai` (the box that keeps the typed one).
    /// - Returns: The address text and whether an unusual domain is confirmed.
    static func resolve(_ form: Form) -> (email: String, confirmingUnusualDomain: Bool) {
        if form["pakai_saran"] == "1", !form.trimmed("saran").isEmpty {
            return (form.trimmed("saran"), false)
        }
        return (form.trimmed("email"), form.isChecked("tetap_pakai"))
    }

    /// The choice, shown inside the form that failed with a suggestion.
    /// - Parameters:
    ///   - visit: The visit.
    ///   - typed: The address as typed.
    ///   - suggestion: The library's suggestion.
    static func fieldset(_ visit: Visit, typed: String, suggestion: EmailAddress) -> HTML {
        """
        <fieldset>
        <legend>\(visit.text("Alamat ini mungkin salah ketik", "This address may be mistyped"))</legend>
        <p>\(visit.text("Maksud Anda ", "Did you mean "))<strong>\(suggestion.value)</strong>?</p>
        <input type="hidden" name="saran" value="\(suggestion.value)">
        <button type="submit" name="pakai_saran" value="1" class="secondary">\(
            visit.text("Pakai ", "Use ") + suggestion.value)</button>
        <label class="check"><input type="checkbox" name="tetap_pakai" value="1"> \(visit.text(
            "Alamat \(typed) memang benar (domainnya tidak umum): tetap pakai",
            "\(typed) is right (an unusual domain): keep it"))</label>
        <p class="hint">\(visit.text(
            "Kata sandi tidak pernah ditampilkan kembali: ketik lagi sebelum menyimpan.",
            "Passwords are never shown again: type it again before saving."))</p>
        </fieldset>
        """
    }
}
