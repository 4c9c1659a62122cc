import DapodikVerification

extension CommandTree {
    static let operatorGroup = Command.group(
        "operator",
        summary: text("verifikasi email operator sendiri.", "the operator's own e-mail verification."),
        [
            Command(
                "request-code",
                summary: text(
                    "kirim kode verifikasi ke email operator sendiri (juga untuk kirim ulang).",
                    "send a verification code to the operator's own e-mail (also to resend)."),
                options: [asOperator], examples: ["dapodik-verify operator request-code --as siti@sdn1.sch.id"],
                supportsJSON: true, action: OperatorCommands.requestCode),
            Command(
                "confirm",
                summary: text(
                    "masukkan kode dari email untuk memverifikasi email operator.",
                    "enter the code from the e-mail to verify the operator's e-mail."),
                options: [asOperator],
                arguments: [
                    ArgumentSpec("code", "Kode verifikasi dari email.", "The verification code from the e-mail.")
                ],
                examples: ["dapodik-verify operator confirm --as siti@sdn1.sch.id 123456"],
                supportsJSON: true, action: OperatorCommands.confirm),
            Command(
                "status",
                summary: text(
                    "status akun operator dan pengiriman kodenya.",
                    "the operator's account status and the delivery of their code."),
                options: [asOperator], examples: ["dapodik-verify operator status --as siti@sdn1.sch.id --json"],
                supportsJSON: true, action: OperatorCommands.status),
        ])
}
