import DapodikVerification

/// Options that several commands declare alike.
enum CommonOptions {
    /// `--as <operator>`: the operator on whose behalf the command runs (their password is asked for).
    static let asOperator = RequiredOption<String>(
        "as", "operator", "Username atau email operator yang menjalankan perintah (kata sandinya diminta).",
        "Username or e-mail of the operator running the command (their password is asked for).")

    /// `--as <ptk>`: the PTK on whose behalf the command runs (their password is asked for).
    static let asPTK = RequiredOption<String>(
        "as", "ptk", "Username atau email PTK yang menjalankan perintah (kata sandinya diminta).",
        "Username or e-mail of the PTK running the command (their password is asked for).")

    /// `--accept-unusual-domain`: keep an address whose domain looks like a typo.
    static let acceptUnusualDomain = Flag(
        "accept-unusual-domain",
        "Simpan alamat apa adanya walau domainnya mirip salah ketik (misalnya gmial.com).",
        "Keep the address as typed even though its domain looks like a typo (such as gmial.com).")

    /// The verification code from the e-mail (`operator confirm`, `ptk submit`).
    static let code = Argument("code", "Kode verifikasi dari email.", "The verification code from the e-mail.")
}
