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

    /// Refuses a login the command is not for: a command taking `--as <operator>` runs for the
    /// school's operator only, one taking `--as <ptk>` for a member of staff only (a PTK or the
    /// principal). The service lets any account read its own status; the command groups say whose
    /// it is, and a person who picked the wrong group is told the right one.
    static func requireRole(
        _ role: Role, of identifier: String, signedInWith identity: RequiredOption<String>
    ) throws(CLIError) {
        let forOperator = identity.spec.placeholder == asOperator.spec.placeholder
        switch (forOperator, role) {
        case (true, .operator), (false, .ptk), (false, .principal):
            return
        case (true, .ptk), (true, .principal):
            throw CLIError(
                .wrongRole, status: .refused,
                indonesian: "Akun \(identifier) bukan akun operator sekolah; perintah ini hanya untuk operator. "
                    + "Untuk akun PTK gunakan perintah 'dapodik-verify ptk'.",
                english: "The account \(identifier) is not the school operator's; this command is for the operator "
                    + "only. For a PTK account use the 'dapodik-verify ptk' commands.")
        case (false, .operator):
            throw CLIError(
                .wrongRole, status: .refused,
                indonesian: "Akun \(identifier) adalah akun operator sekolah; perintah ini untuk akun PTK. Untuk "
                    + "verifikasi email operator gunakan perintah 'dapodik-verify operator'.",
                english: "The account \(identifier) is the school operator's; this command is for PTK accounts. "
                    + "For the operator's own e-mail use the 'dapodik-verify operator' commands.")
        }
    }

    /// The verification code from the e-mail (`operator confirm`, `ptk submit`).
    static let code = Argument("code", "Kode verifikasi dari email.", "The verification code from the e-mail.")
}
