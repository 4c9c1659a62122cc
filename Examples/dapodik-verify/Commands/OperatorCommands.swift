import DapodikVerification

/// `operator request-code|confirm|status|correct-email`: the operator's own verification (step 2 of
/// the seed).
enum OperatorCommands {
    static let command = Command.group(
        "operator", summary: text("verifikasi email operator sendiri.", "the operator's own e-mail verification."),
        [RequestCode.command, Confirm.command, Status.command, CorrectEmail.command])

    /// `operator request-code`: a code to the operator's own address (also to resend).
    enum RequestCode {
        static let command = Command(
            "request-code",
            summary: text(
                "kirim kode verifikasi ke email operator sendiri (juga untuk kirim ulang).",
                "send a verification code to the operator's own e-mail (also to resend)."),
            options: [CommonOptions.asOperator],
            examples: ["dapodik-verify operator request-code --as siti@sdn1.sch.id"], supportsJSON: true,
            action: { try await OwnVerification.requestCode($0, as: CommonOptions.asOperator) })
    }

    /// `operator confirm <code>`: the code from the e-mail verifies the operator's address.
    enum Confirm {
        static let command = Command(
            "confirm",
            summary: text(
                "masukkan kode dari email untuk memverifikasi email operator.",
                "enter the code from the e-mail to verify the operator's e-mail."),
            options: [CommonOptions.asOperator], arguments: [CommonOptions.code],
            examples: ["dapodik-verify operator confirm --as siti@sdn1.sch.id 123456"], supportsJSON: true,
            action: { try await OwnVerification.submitCode($0, as: CommonOptions.asOperator) })
    }

    /// `operator status`: the operator's account and the delivery of their code.
    enum Status {
        static let command = Command(
            "status",
            summary: text(
                "status akun operator dan pengiriman kodenya.",
                "the operator's account status and the delivery of their code."),
            options: [CommonOptions.asOperator],
            examples: ["dapodik-verify operator status --as siti@sdn1.sch.id --json"], supportsJSON: true,
            action: { try await OwnVerification.status($0, as: CommonOptions.asOperator) })
    }

    /// `operator correct-email`: the operator corrects their own address (a mistyped one, or one a
    /// bounce says does not exist); their password is the proof.
    enum CorrectEmail {
        static let command = Command(
            "correct-email",
            summary: text(
                "betulkan alamat email operator sendiri, lalu minta kode baru.",
                "correct the operator's own e-mail address, then ask for a new code."),
            options: [CommonOptions.asOperator, PTKCommands.CorrectEmail.email, CommonOptions.acceptUnusualDomain],
            examples: ["dapodik-verify operator correct-email --as siti --email siti.aminah@gmail.com"],
            supportsJSON: true,
            action: {
                try await OwnVerification.correctEmail(
                    $0, as: CommonOptions.asOperator, email: PTKCommands.CorrectEmail.email,
                    requestCommand: "operator request-code")
            })
    }
}
