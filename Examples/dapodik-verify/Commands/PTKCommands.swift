import DapodikVerification
import Foundation

/// `ptk …`: the operator managing PTK accounts (step 3), and the PTK verifying their own e-mail
/// (PTK steps 1–6 of the seed).
enum PTKCommands {
    static let register: Command.Action = { invocation in
        let arguments = invocation.arguments
        let console = invocation.console
        let email = try Inputs.email(try arguments.required("email"), option: "email")
        let name = try Inputs.name(try arguments.required("name"), option: "name")
        let username = try Inputs.username(arguments.value("username"), email: email, option: "username")
        let nuptk = try Inputs.optional(arguments.value("nuptk"), option: "nuptk") { text throws(ValidationError) in
            try NUPTK(text)
        }
        let nik = try Inputs.optional(arguments.value("nik"), option: "nik") { text throws(ValidationError) in
            try NIK(text)
        }
        let nip = try Inputs.optional(arguments.value("nip"), option: "nip") { text throws(ValidationError) in
            try NIP(text)
        }
        let context = try await ServiceContext.open(invocation)
        let session = try await context.login(invocation)
        let registration = AccountRegistration(
            displayName: name, username: username, email: email,
            password: try Inputs.newPassword(for: username.value, console), nuptk: nuptk, nik: nik, nip: nip,
            confirmingUnusualDomain: arguments.has("accept-unusual-domain"))
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

    static let edit: Command.Action = { invocation in
        let arguments = invocation.arguments
        let console = invocation.console
        let email = try arguments.value("email").map { text throws(CLIError) in try Inputs.email(text, option: "email")
        }
        guard email != nil || arguments.has("password") else {
            throw CLIError.usage(
                .missingOption, indonesian: "Berikan --email dan/atau --password.",
                english: "Give --email and/or --password.")
        }
        let context = try await ServiceContext.open(invocation)
        let session = try await context.login(invocation)
        let target = try staffAccount(
            named: arguments.positional(0)!, in: try await context.service.listStaff(by: session.account))
        let password = arguments.has("password") ? try Inputs.newPassword(for: target.username.value, console) : nil
        let account = try await context.service.updateStaff(
            target.id, email: email, password: password,
            confirmingUnusualDomain: arguments.has("accept-unusual-domain"), by: session.account)
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

    static let unlock: Command.Action = { invocation in
        let context = try await ServiceContext.open(invocation)
        let session = try await context.login(invocation)
        let target = try staffAccount(
            named: invocation.arguments.positional(0)!, in: try await context.service.listStaff(by: session.account))
        try await context.service.unlockAccount(target.id, by: session.account)
        invocation.console.say(
            "Akun \(target.username.value) dibuka kembali; hitungan kata sandi dan kode salah dimulai dari nol.",
            "Account \(target.username.value) unlocked; the counts of wrong passwords and codes start again from zero.")
        return .success
    }

    static let list: Command.Action = { invocation in
        let console = invocation.console
        let context = try await ServiceContext.open(invocation)
        let session = try await context.login(invocation)
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
            console.line(
                "\(account.username.value)\t\(account.displayName.value)\t\(account.email?.value ?? "-")\t\(state)")
        }
        return .success
    }

    static let status: Command.Action = OwnVerification.status

    static let start: Command.Action = { invocation in
        let console = invocation.console
        let context = try await ServiceContext.open(invocation)
        let session = try await context.login(invocation)
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

    static let correctEmail: Command.Action = { invocation in
        let console = invocation.console
        let email = try Inputs.email(try invocation.arguments.required("email"), option: "email")
        let context = try await ServiceContext.open(invocation)
        let (session, password) = try await context.loginKeepingPassword(invocation)
        let overview = try await context.service.correctEmail(
            to: email, password: password,
            confirmingUnusualDomain: invocation.arguments.has("accept-unusual-domain"), by: session.account)
        if invocation.globals.json {
            try console.printJSON(StatusPresentation.json(overview, language: invocation.language))
        } else {
            console.say(
                "Email Aktif sekarang: \(overview.email?.value ?? "-"). Lanjutkan: dapodik-verify ptk continue "
                    + "--as \(overview.username.value)",
                "The active e-mail is now: \(overview.email?.value ?? "-"). Go on: dapodik-verify ptk continue "
                    + "--as \(overview.username.value)")
        }
        return .success
    }

    static let continueVerification: Command.Action = OwnVerification.requestCode

    static let submit: Command.Action = OwnVerification.submitCode

    static let delivery: Command.Action = { invocation in
        let context = try await ServiceContext.open(invocation)
        let session = try await context.login(invocation)
        try VerificationOutput.show(
            try await context.service.deliveryStatus(for: session.account, by: session.account), invocation)
        return .success
    }

    static let resend: Command.Action = continueVerification
}
