import DapodikVerification
import Foundation

/// `ptk …`: the operator managing PTK accounts (step 3), and the PTK verifying their own e-mail
/// (PTK steps 1–6 of the seed).
enum PTKCommands {
    static let command = Command.group(
        "ptk",
        summary: text(
            "akun PTK: dikelola operator, diverifikasi PTK sendiri.",
            "PTK accounts: managed by the operator, verified by the PTK."),
        [
            Register.command, Edit.command, Unlock.command, List.command, ImportCommand.command, Status.command,
            Start.command, CorrectEmail.command, Continue.command, Submit.command, Delivery.command, Resend.command,
        ])

    /// The PTK an operator command changes, by username or e-mail.
    static let target = Argument(
        "ptk", "Username atau email PTK yang diubah.", "Username or e-mail of the PTK to change.")

    /// The account of the operator's school named by username or e-mail.
    static func staffAccount(named identifier: String, in accounts: [Account]) throws(CLIError) -> Account {
        let wanted = identifier.trimmingCharacters(in: .whitespaces).lowercased()
        guard
            let account = accounts.first(where: {
                $0.username.value == wanted || $0.email?.canonical == wanted
            })
        else {
            throw CLIError(
                .notFound, status: .refused,
                indonesian: "Tidak ada PTK \(identifier) di sekolah Anda (lihat: dapodik-verify ptk list).",
                english: "There is no PTK \(identifier) in your school (see: dapodik-verify ptk list).")
        }
        return account
    }

    /// `ptk register`: the operator registers a PTK account.
    enum Register {
        static let name = RequiredOption(
            "name", "name", "Nama lengkap PTK.", "The PTK's full name.", convert: Inputs.displayName)
        static let email = RequiredOption(
            "email", "email", "Email aktif PTK.", "The PTK's active e-mail address.", convert: Inputs.emailAddress)
        static let username = Option<String>(
            "username", "username", "Username PTK (bawaan: bagian email sebelum @).",
            "The PTK's username (default: the part of the e-mail before the @).")
        static let nuptk = Option(
            "nuptk", "nuptk", "NUPTK (16 angka), bila ada.", "NUPTK (16 digits), if any.",
            convert: Inputs.identifier { text throws(ValidationError) in try NUPTK(text) })
        static let nik = Option(
            "nik", "nik", "NIK (16 angka), bila ada.", "NIK (16 digits), if any.",
            convert: Inputs.identifier { text throws(ValidationError) in try NIK(text) })
        static let nip = Option(
            "nip", "nip", "NIP (18 angka), bila ada.", "NIP (18 digits), if any.",
            convert: Inputs.identifier { text throws(ValidationError) in try NIP(text) })

        static let command = Command(
            "register",
            summary: text("daftarkan akun PTK (operator).", "register a PTK account (operator)."),
            discussion: text(
                """
                Diminta dua kata sandi, berurutan: kata sandi operator, lalu kata sandi PTK (lama dari
                Dapodik sebelumnya atau baru). Alamat yang mirip salah ketik (misalnya gmial.com) ditolak
                dengan saran perbaikan, kecuali --accept-unusual-domain.
                """,
                """
                Two passwords are asked for, in order: the operator's, then the PTK's (the old one from the
                previous Dapodik, or a new one). An address that looks mistyped (such as gmial.com) is
                refused with a suggested correction unless --accept-unusual-domain is given.
                """),
            options: [
                CommonOptions.asOperator, name, email, username, nuptk, nik, nip, CommonOptions.acceptUnusualDomain,
            ],
            examples: [
                "dapodik-verify ptk register --as siti@sdn1.sch.id --name \"Budi Santoso\" --email budi@gmail.com",
                "printf '%s\\n' \"$OPERATOR_PASSWORD\" \"$PTK_PASSWORD\" | dapodik-verify ptk register "
                    + "--as siti@sdn1.sch.id --name \"Budi Santoso\" --email budi@gmail.com",
            ],
            supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let email = try invocation.value(Self.email)
            let name = try invocation.value(Self.name)
            let username = try Inputs.username(
                try invocation.value(Self.username), email: email, option: Self.username.spec.name)
            let nuptk = try invocation.value(Self.nuptk) ?? nil
            let nik = try invocation.value(Self.nik) ?? nil
            let nip = try invocation.value(Self.nip) ?? nil
            let context = try await ServiceContext.open(invocation)
            let session = try await context.login(invocation, as: CommonOptions.asOperator)
            let registration = AccountRegistration(
                displayName: name, username: username, email: email,
                password: try Inputs.newPassword(for: username.value, console), nuptk: nuptk, nik: nik, nip: nip,
                confirmingUnusualDomain: invocation.isSet(CommonOptions.acceptUnusualDomain))
            let account = try await context.service.registerStaff(registration, by: session.account)
            if invocation.globals.json {
                try console.printJSON(StatusPresentation.json(account))
            } else {
                console.say(
                    "PTK \(name.value) terdaftar: username \(account.username.value), email \(email.value) (belum verifikasi).",
                    "PTK \(name.value) registered: username \(account.username.value), e-mail \(email.value) (not verified)."
                )
                console.say(
                    "Berikan username dan kata sandinya kepada PTK; PTK lalu menjalankan: dapodik-verify ptk start "
                        + "--as \(account.username.value)",
                    "Give the PTK their username and password; the PTK then runs: dapodik-verify ptk start "
                        + "--as \(account.username.value)")
            }
            return .success
        }
    }

    /// `ptk edit <ptk>`: the operator changes a PTK's e-mail and/or password.
    enum Edit {
        static let email = Option(
            "email", "email", "Email aktif yang baru.", "The new active e-mail address.", convert: Inputs.emailAddress)
        static let password = Flag("password", "Tetapkan kata sandi baru PTK.", "Set a new password for the PTK.")

        static let command = Command(
            "edit",
            summary: text(
                "ubah email dan/atau kata sandi PTK (operator; ikon pensil).",
                "change a PTK's e-mail and/or password (operator; the pencil icon)."),
            discussion: text(
                """
                Mengubah email yang sudah terverifikasi membuat akun belum terverifikasi lagi, membatalkan
                kode yang masih terbuka, dan mengirim pemberitahuan ke alamat lama. Dengan --password
                diminta kata sandi baru PTK setelah kata sandi operator.
                """,
                """
                Changing a verified e-mail makes the account unverified again, cancels open codes, and sends
                a notice to the old address. With --password the PTK's new password is asked for after the
                operator's.
                """),
            options: [CommonOptions.asOperator, email, password, CommonOptions.acceptUnusualDomain],
            arguments: [target],
            examples: [
                "dapodik-verify ptk edit --as siti@sdn1.sch.id budi --email budi.santoso@gmail.com",
                "dapodik-verify ptk edit --as siti@sdn1.sch.id budi --password",
            ],
            supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let email = try invocation.value(Self.email)
            let newPassword = invocation.isSet(Self.password)
            guard email != nil || newPassword else {
                throw CLIError.usage(
                    .missingOption, indonesian: "Berikan --email dan/atau --password.",
                    english: "Give --email and/or --password.")
            }
            let context = try await ServiceContext.open(invocation)
            let session = try await context.login(invocation, as: CommonOptions.asOperator)
            let target = try staffAccount(
                named: invocation.value(PTKCommands.target),
                in: try await context.service.listStaff(by: session.account))
            let password = newPassword ? try Inputs.newPassword(for: target.username.value, console) : nil
            let account = try await context.service.updateStaff(
                target.id, email: email, password: password,
                confirmingUnusualDomain: invocation.isSet(CommonOptions.acceptUnusualDomain), by: session.account)
            if invocation.globals.json {
                try console.printJSON(StatusPresentation.json(account))
            } else {
                console.say(
                    "Akun \(account.username.value) diperbarui. Email: \(account.email?.value ?? "-") ("
                        + (account.isEmailVerified ? "terverifikasi" : "belum verifikasi") + ").",
                    "Account \(account.username.value) updated. E-mail: \(account.email?.value ?? "-") ("
                        + (account.isEmailVerified ? "verified" : "not verified") + ").")
            }
            return .success
        }
    }

    /// `ptk unlock <ptk>`: the operator unlocks a locked PTK account.
    enum Unlock {
        static let command = Command(
            "unlock",
            summary: text(
                "buka kunci akun PTK setelah terlalu banyak kata sandi atau kode salah (operator).",
                "unlock a PTK account after too many wrong passwords or codes (operator)."),
            discussion: text(
                """
                Setelah 100 kata sandi salah berturut-turut, atau 30 kode salah berturut-turut, akun PTK
                terkunci sampai operator sekolahnya membukanya. Pastikan dulu bahwa yang meminta memang
                PTK itu sendiri. Tercatat di umpan peristiwa.
                """,
                """
                After 100 wrong passwords in a row, or 30 wrong codes in a row, a PTK account stays locked
                until its school's operator unlocks it. Make sure first that the person asking is the PTK.
                Recorded in the event feed.
                """),
            options: [CommonOptions.asOperator], arguments: [target],
            examples: ["dapodik-verify ptk unlock --as siti@sdn1.sch.id budi"], action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let context = try await ServiceContext.open(invocation)
            let session = try await context.login(invocation, as: CommonOptions.asOperator)
            let target = try staffAccount(
                named: invocation.value(PTKCommands.target),
                in: try await context.service.listStaff(by: session.account))
            try await context.service.unlockAccount(target.id, by: session.account)
            invocation.console.say(
                "Akun \(target.username.value) dibuka kembali; kata sandi salah dan kode salah berturut-turut "
                    + "dihitung dari nol lagi. Batas harian kode salah dan jeda setelah kode salah tetap "
                    + "berlaku.",
                "Account \(target.username.value) unlocked; wrong passwords and wrong codes in a row are counted "
                    + "from zero again. The daily bound on wrong codes and the wait after wrong codes still "
                    + "hold.")
            return .success
        }
    }

    /// `ptk list`: the school's PTK accounts.
    enum List {
        static let command = Command(
            "list",
            summary: text(
                "daftar akun PTK sekolah (Akun → Daftar Akun).", "list the school's PTK accounts (Akun → Daftar Akun)."),
            options: [CommonOptions.asOperator], examples: ["dapodik-verify ptk list --as siti@sdn1.sch.id --json"],
            supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let context = try await ServiceContext.open(invocation)
            let session = try await context.login(invocation, as: CommonOptions.asOperator)
            let accounts = try await context.service.listStaff(by: session.account)
            if invocation.globals.json {
                try console.printJSON(accounts.map(StatusPresentation.json))
                return .success
            }
            if accounts.isEmpty {
                console.say("Belum ada akun PTK.", "No PTK accounts yet.")
                return .success
            }
            for account in accounts {
                let state =
                    account.isEmailVerified
                    ? console.pick("terverifikasi", "verified") : console.pick("belum verifikasi", "not verified")
                console.row([account.username.value, account.displayName.value, account.email?.value ?? "-", state])
            }
            return .success
        }
    }

    /// `ptk status`: the PTK's account and verification status.
    enum Status {
        static let command = Command(
            "status",
            summary: text(
                "akun dan status verifikasinya (BIODATA → Akun).",
                "the account and its verification status (BIODATA → Akun)."),
            options: [CommonOptions.asPTK], examples: ["dapodik-verify ptk status --as budi"], supportsJSON: true,
            action: { try await OwnVerification.status($0, as: CommonOptions.asPTK) })
    }

    /// `ptk start`: the PTK starts verification and sees where the code will go.
    enum Start {
        static let command = Command(
            "start",
            summary: text(
                "mulai verifikasi dan lihat alamat tujuan kode (VERIFIKASI SEKARANG).",
                "start verification and see the address the code will go to (VERIFIKASI SEKARANG)."),
            discussion: text(
                """
                Periksa 'Email Aktif' yang ditampilkan. Bila bukan alamat Anda, betulkan dulu dengan
                'ptk correct-email', lalu lanjutkan dengan 'ptk continue'.
                """,
                """
                Check the 'Email Aktif' shown. If it is not your address, correct it first with
                'ptk correct-email', then go on with 'ptk continue'.
                """),
            options: [CommonOptions.asPTK], examples: ["dapodik-verify ptk start --as budi"], supportsJSON: true,
            action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let context = try await ServiceContext.open(invocation)
            let session = try await context.login(invocation, as: CommonOptions.asPTK)
            let overview = try await context.service.startVerification(by: session.account)
            if invocation.globals.json {
                try console.printJSON(StatusPresentation.json(overview, language: invocation.language))
                return .success
            }
            console.say(
                "Kode verifikasi akan dikirim ke Email Aktif: \(overview.email?.value ?? "-")",
                "The verification code will be sent to the active e-mail: \(overview.email?.value ?? "-")")
            console.say(
                "Apakah ini alamat Anda? Bila ya: dapodik-verify ptk continue --as \(overview.username.value)\n"
                    + "Bila bukan, betulkan dulu: dapodik-verify ptk correct-email --as \(overview.username.value) "
                    + "--email <alamat-anda>",
                "Is this your address? If so: dapodik-verify ptk continue --as \(overview.username.value)\n"
                    + "If not, correct it first: dapodik-verify ptk correct-email --as \(overview.username.value) "
                    + "--email <your-address>")
            return .success
        }
    }

    /// `ptk correct-email`: the PTK corrects their own address before LANJUT.
    enum CorrectEmail {
        static let email = RequiredOption(
            "email", "email", "Alamat email yang benar.", "The right e-mail address.", convert: Inputs.emailAddress)

        static let command = Command(
            "correct-email",
            summary: text(
                "betulkan alamat email sendiri sebelum LANJUT.", "correct your own e-mail address before LANJUT."),
            options: [CommonOptions.asPTK, email, CommonOptions.acceptUnusualDomain],
            examples: ["dapodik-verify ptk correct-email --as budi --email budi@gmail.com"], supportsJSON: true,
            action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            try await OwnVerification.correctEmail(
                invocation, as: CommonOptions.asPTK, email: email, requestCommand: "ptk continue")
        }
    }

    /// `ptk continue`: the code is sent to the PTK's address (LANJUT).
    enum Continue {
        static let command = Command(
            "continue",
            summary: text(
                "kirim kode verifikasi ke email Anda (LANJUT).", "send the verification code to your e-mail (LANJUT)."),
            options: [CommonOptions.asPTK], examples: ["dapodik-verify ptk continue --as budi"], supportsJSON: true,
            action: { try await OwnVerification.requestCode($0, as: CommonOptions.asPTK) })
    }

    /// `ptk submit <code>`: the PTK enters the code from the e-mail (SIMPAN).
    enum Submit {
        static let command = Command(
            "submit",
            summary: text(
                "masukkan Kode Verifikasi dari email (SIMPAN).", "enter the Kode Verifikasi from the e-mail (SIMPAN)."),
            discussion: text(
                "Kode sebelumnya dari verifikasi yang sama tetap diterima selama belum kedaluwarsa.",
                "Earlier codes of the same verification are still accepted while they have not expired."),
            options: [CommonOptions.asPTK], arguments: [CommonOptions.code],
            examples: ["dapodik-verify ptk submit --as budi 123456"], supportsJSON: true,
            action: { try await OwnVerification.submitCode($0, as: CommonOptions.asPTK) })
    }

    /// `ptk delivery`: the delivery status of the PTK's code.
    enum Delivery {
        static let command = Command(
            "delivery",
            summary: text(
                "status pengiriman kode: terkirim? kapan? dicoba lagi? berlaku sampai kapan?",
                "the code's delivery status: sent? when? being retried? valid until when?"),
            options: [CommonOptions.asPTK], examples: ["dapodik-verify ptk delivery --as budi --json"],
            supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let context = try await ServiceContext.open(invocation)
            let session = try await context.login(invocation, as: CommonOptions.asPTK)
            try VerificationOutput.show(
                try await context.service.deliveryStatus(for: session.account, by: session.account), invocation)
            return .success
        }
    }

    /// `ptk resend`: a new code (earlier ones stay valid until they expire).
    enum Resend {
        static let command = Command(
            "resend",
            summary: text(
                "minta kode baru (kode sebelumnya tetap berlaku sampai kedaluwarsa).",
                "ask for a new code (earlier codes stay valid until they expire)."),
            options: [CommonOptions.asPTK], examples: ["dapodik-verify ptk resend --as budi"], supportsJSON: true,
            action: { try await OwnVerification.requestCode($0, as: CommonOptions.asPTK) })
    }
}
