import DapodikVerification

extension CommandTree {
    static let school = Command.group(
        "school", summary: text("sekolah dan operatornya.", "schools and their operators."),
        [
            Command(
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
                    .value(
                        "npsn", "npsn", "NPSN sekolah: 8 angka, atau P/K diikuti 7 angka.",
                        "The school's NPSN: 8 digits, or P/K followed by 7 digits.", required: true),
                    .value("name", "name", "Nama sekolah.", "The school's name.", required: true),
                    .value(
                        "time-zone", "WIB|WITA|WIT", "Zona waktu sekolah (bawaan WIB).",
                        "The school's time zone (default WIB)."),
                    .value(
                        "operator-name", "name", "Nama lengkap operator.", "The operator's full name.",
                        required: true),
                    .value(
                        "operator-email", "email", "Email aktif operator (milik operator sendiri).",
                        "The operator's own active e-mail address.", required: true),
                    .value(
                        "operator-username", "username", "Username operator (bawaan: bagian email sebelum @).",
                        "The operator's username (default: the part of the e-mail before the @)."),
                    acceptUnusualDomain,
                ],
                examples: [
                    "dapodik-verify school create --npsn 20100101 --name \"SD Negeri 1 Contoh\" --time-zone WIB "
                        + "--operator-name \"Siti Aminah\" --operator-email siti@sdn1.sch.id"
                ],
                supportsJSON: true, action: SchoolCommands.create),
            Command(
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
                options: [
                    .value(
                        "npsn", "npsn", "NPSN sekolah operator.", "The NPSN of the operator's school.",
                        required: true)
                ],
                examples: ["dapodik-verify school unlock-operator --npsn 20100101"],
                action: SchoolCommands.unlockOperator),
        ])
}
