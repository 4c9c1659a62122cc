import DapodikVerification
import Foundation

/// `school create|unlock-operator`: schools and their operators.
enum SchoolCommands {
    static let command = Command.group(
        "school", summary: text("sekolah dan operatornya.", "schools and their operators."),
        [Create.command, UnlockOperator.command])

    /// `school create`: a school together with its operator account.
    enum Create {
        static let npsn = RequiredOption(
            "npsn", "npsn", "NPSN sekolah: 8 angka, P/K diikuti 7 angka, atau 6 angka (perguruan tinggi).",
            "The school's NPSN: 8 digits, P/K followed by 7 digits, or 6 digits (a university).", convert: Inputs.npsn)
        static let name = RequiredOption(
            "name", "name", "Nama sekolah.", "The school's name.", convert: Inputs.displayName)
        static let timeZone = Option<SchoolTimeZone>(
            "time-zone", "WIB|WITA|WIT", "Zona waktu sekolah (bawaan WIB).", "The school's time zone (default WIB)."
        ) { text, _ throws(CLIError) in
            guard let zone = SchoolTimeZone(rawValue: text.uppercased()) else {
                throw CLIError.invalidValue(
                    indonesian: "--time-zone harus WIB, WITA atau WIT.",
                    english: "--time-zone must be WIB, WITA or WIT.")
            }
            return zone
        }
        static let operatorName = RequiredOption(
            "operator-name", "name", "Nama lengkap operator.", "The operator's full name.",
            convert: Inputs.displayName)
        static let operatorEmail = RequiredOption(
            "operator-email", "email", "Email aktif operator (milik operator sendiri).",
            "The operator's own active e-mail address.", convert: Inputs.emailAddress)
        static let operatorUsername = Option<String>(
            "operator-username", "username", "Username operator (bawaan: bagian email sebelum @).",
            "The operator's username (default: the part of the e-mail before the @).")

        static let command = Command(
            "create",
            summary: text(
                "buat sekolah beserta akun operatornya.", "create a school together with its operator account."),
            discussion: text(
                """
                Kata sandi baru operator diminta (di terminal dua kali; dari standard input satu baris).
                Operator harus memverifikasi emailnya sendiri (operator request-code, operator confirm)
                sebelum boleh mengelola akun PTK.
                """,
                """
                The operator's new password is asked for (twice on a terminal; one line on standard input).
                The operator must verify their own e-mail (operator request-code, operator confirm) before
                they may manage PTK accounts.
                """),
            options: [
                npsn, name, timeZone, operatorName, operatorEmail, operatorUsername, CommonOptions.acceptUnusualDomain,
            ],
            examples: [
                "dapodik-verify school create --npsn 20100101 --name \"SD Negeri 1 Contoh\" --time-zone WIB "
                    + "--operator-name \"Siti Aminah\" --operator-email siti@sdn1.sch.id"
            ],
            supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            let npsn = try invocation.value(Self.npsn)
            let zone = try invocation.value(Self.timeZone) ?? .wib
            let school = School(npsn: npsn, name: try invocation.value(Self.name), timeZone: zone)
            let email = try invocation.value(Self.operatorEmail)
            let registration = AccountRegistration(
                displayName: try invocation.value(Self.operatorName),
                username: try Inputs.username(
                    try invocation.value(Self.operatorUsername), email: email, option: Self.operatorUsername.spec.name),
                email: email, password: try Inputs.newPassword(for: email.value, console),
                confirmingUnusualDomain: invocation.isSet(CommonOptions.acceptUnusualDomain))
            // The password and a likely typo of the address are checked before a new data directory is set
            // up, so a refused registration leaves none behind (the library checks them again, with
            // everything that needs the store).
            try registration.validateInput()
            let context = try await ServiceContext.open(invocation, creating: true)
            let account = try await context.service.createSchool(school, operator: registration)
            if invocation.globals.json {
                try console.printJSON(StatusPresentation.json(account))
            } else {
                console.say(
                    "Sekolah \(school.name.value) (NPSN \(npsn.value), \(zone.abbreviation)) dibuat; operator: "
                        + "\(account.username.value) <\(email.value)>.",
                    "School \(school.name.value) (NPSN \(npsn.value), \(zone.abbreviation)) created; operator: "
                        + "\(account.username.value) <\(email.value)>.")
                console.say(
                    "Langkah berikutnya: dapodik-verify operator request-code --as \(account.username.value)",
                    "Next: dapodik-verify operator request-code --as \(account.username.value)")
            }
            return .success
        }
    }

    /// `school unlock-operator`: the administrator unlocks a school's operator.
    enum UnlockOperator {
        static let npsn = RequiredOption(
            "npsn", "npsn", "NPSN sekolah operator.", "The NPSN of the operator's school.", convert: Inputs.npsn)

        static let command = Command(
            "unlock-operator",
            summary: text(
                "buka kunci akun operator sekolah (administrator).",
                "unlock a school's operator account (administrator)."),
            discussion: text(
                """
                Setelah 100 kata sandi salah berturut-turut, atau 30 kode salah berturut-turut, akun
                operator terkunci sampai administrator membukanya: siapa pun yang memegang direktori data
                ini. Pastikan dulu bahwa yang meminta memang operator sekolah itu. Tercatat di umpan
                peristiwa.
                """,
                """
                After 100 wrong passwords in a row, or 30 wrong codes in a row, an operator account stays
                locked until the administrator unlocks it: whoever holds this data directory. Make sure
                first that the person asking is the school's operator. Recorded in the event feed.
                """),
            options: [npsn], examples: ["dapodik-verify school unlock-operator --npsn 20100101"], action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let npsn = try invocation.value(Self.npsn)
            let context = try await ServiceContext.open(invocation)
            let account = try await context.service.unlockOperatorAsAdministrator(of: npsn)
            invocation.console.say(
                "Akun operator \(account.username.value) (NPSN \(npsn.value)) dibuka kembali; kata sandi salah dan "
                    + "kode salah berturut-turut dihitung dari nol lagi. Batas harian kode salah dan jeda "
                    + "setelah kode salah tetap berlaku.",
                "Operator account \(account.username.value) (NPSN \(npsn.value)) unlocked; wrong passwords and "
                    + "wrong codes in a row are counted from zero again. The daily bound on wrong codes and "
                    + "the wait after wrong codes still hold.")
            return .success
        }
    }
}
