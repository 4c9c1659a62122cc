import DapodikVerification

extension CommandTree {
    static let ptkTarget = ArgumentSpec(
        "ptk", "Username atau email PTK yang diubah.", "Username or e-mail of the PTK to change.")

    static let ptk = Command.group(
        "ptk",
        summary: text(
            "akun PTK: dikelola operator, diverifikasi PTK sendiri.",
            "PTK accounts: managed by the operator, verified by the PTK."),
        [
            ptkRegister,
            ptkEdit,
            ptkUnlock,
            ptkList,
            importCommand,
            ptkStatus,
            ptkStart,
            ptkCorrectEmail,
            ptkContinue,
            ptkSubmit,
            ptkDelivery,
            ptkResend,
        ])

    static let ptkRegister = Command(
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
            asOperator,
            .value("name", "name", "Nama lengkap PTK.", "The PTK's full name.", required: true),
            .value("email", "email", "Email aktif PTK.", "The PTK's active e-mail address.", required: true),
            .value(
                "username", "username", "Username PTK (bawaan: bagian email sebelum @).",
                "The PTK's username (default: the part of the e-mail before the @)."),
            .value("nuptk", "nuptk", "NUPTK (16 angka), bila ada.", "NUPTK (16 digits), if any."),
            .value("nik", "nik", "NIK (16 angka), bila ada.", "NIK (16 digits), if any."),
            .value("nip", "nip", "NIP (18 angka), bila ada.", "NIP (18 digits), if any."),
            acceptUnusualDomain,
        ],
        examples: [
            "dapodik-verify ptk register --as siti@sdn1.sch.id --name \"Budi Santoso\" --email budi@gmail.com",
            "printf '%s\\n' \"$OPERATOR_PASSWORD\" \"$PTK_PASSWORD\" | dapodik-verify ptk register "
                + "--as siti@sdn1.sch.id --name \"Budi Santoso\" --email budi@gmail.com",
        ],
        supportsJSON: true, action: PTKCommands.register)

    static let ptkEdit = Command(
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
        options: [
            asOperator,
            .value("email", "email", "Email aktif yang baru.", "The new active e-mail address."),
            .flag("password", "Tetapkan kata sandi baru PTK.", "Set a new password for the PTK."),
            acceptUnusualDomain,
        ],
        arguments: [ptkTarget],
        examples: [
            "dapodik-verify ptk edit --as siti@sdn1.sch.id budi --email budi.santoso@gmail.com",
            "dapodik-verify ptk edit --as siti@sdn1.sch.id budi --password",
        ],
        supportsJSON: true, action: PTKCommands.edit)

    static let ptkUnlock = Command(
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
        options: [asOperator], arguments: [ptkTarget],
        examples: ["dapodik-verify ptk unlock --as siti@sdn1.sch.id budi"],
        action: PTKCommands.unlock)

    static let ptkList = Command(
        "list",
        summary: text(
            "daftar akun PTK sekolah (Akun → Daftar Akun).", "list the school's PTK accounts (Akun → Daftar Akun)."),
        options: [asOperator], examples: ["dapodik-verify ptk list --as siti@sdn1.sch.id --json"],
        supportsJSON: true, action: PTKCommands.list)

    static let ptkStatus = Command(
        "status",
        summary: text(
            "akun dan status verifikasinya (BIODATA → Akun).",
            "the account and its verification status (BIODATA → Akun)."),
        options: [asPTK], examples: ["dapodik-verify ptk status --as budi"], supportsJSON: true,
        action: PTKCommands.status)

    static let ptkStart = Command(
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
        options: [asPTK], examples: ["dapodik-verify ptk start --as budi"], supportsJSON: true,
        action: PTKCommands.start)

    static let ptkCorrectEmail = Command(
        "correct-email",
        summary: text(
            "betulkan alamat email sendiri sebelum LANJUT.", "correct your own e-mail address before LANJUT."),
        options: [
            asPTK,
            .value("email", "email", "Alamat email yang benar.", "The right e-mail address.", required: true),
            acceptUnusualDomain,
        ],
        examples: ["dapodik-verify ptk correct-email --as budi --email budi@gmail.com"], supportsJSON: true,
        action: PTKCommands.correctEmail)

    static let ptkContinue = Command(
        "continue",
        summary: text(
            "kirim kode verifikasi ke email Anda (LANJUT).", "send the verification code to your e-mail (LANJUT)."),
        options: [asPTK], examples: ["dapodik-verify ptk continue --as budi"], supportsJSON: true,
        action: PTKCommands.continueVerification)

    static let ptkSubmit = Command(
        "submit",
        summary: text(
            "masukkan Kode Verifikasi dari email (SIMPAN).", "enter the Kode Verifikasi from the e-mail (SIMPAN)."),
        discussion: text(
            "Kode sebelumnya dari verifikasi yang sama tetap diterima selama belum kedaluwarsa.",
            "Earlier codes of the same verification are still accepted while they have not expired."),
        options: [asPTK],
        arguments: [ArgumentSpec("code", "Kode verifikasi dari email.", "The verification code from the e-mail.")],
        examples: ["dapodik-verify ptk submit --as budi 123456"], supportsJSON: true,
        action: PTKCommands.submit)

    static let ptkDelivery = Command(
        "delivery",
        summary: text(
            "status pengiriman kode: terkirim? kapan? dicoba lagi? berlaku sampai kapan?",
            "the code's delivery status: sent? when? being retried? valid until when?"),
        options: [asPTK], examples: ["dapodik-verify ptk delivery --as budi --json"], supportsJSON: true,
        action: PTKCommands.delivery)

    static let ptkResend = Command(
        "resend",
        summary: text(
            "minta kode baru (kode sebelumnya tetap berlaku sampai kedaluwarsa).",
            "ask for a new code (earlier codes stay valid until they expire)."),
        options: [asPTK], examples: ["dapodik-verify ptk resend --as budi"], supportsJSON: true,
        action: PTKCommands.resend)

    static let importCommand = Command(
        "import",
        summary: text(
            "impor daftar PTK dari berkas CSV (operator).", "import a list of PTK from a CSV file (operator)."),
        discussion: text(
            """
            Baris pertama adalah judul kolom: nama, email, password (wajib) dan nuptk, nik, nip, username
            (boleh). Judul bahasa Inggris juga diterima (name, email, password). Pemisah ',' atau ';'
            dikenali otomatis; BOM UTF-8 dan akhir baris CRLF/LF diterima (RFC 4180).

            Setiap baris diperiksa lebih dulu: isi berkas, lalu (setelah masuk) alamat email dan username
            yang sudah dipakai akun mana pun, juga akun sekolah lain (tanpa menyebut akun siapa). Bila ada
            baris yang salah, setiap baris salah dilaporkan dengan nomor baris dan alasannya, dan TIDAK ADA
            yang diimpor (kode keluar 65). Dengan --skip-invalid, baris yang benar diimpor. Semua PTK yang
            diimpor disimpan dalam satu commit: semuanya atau tidak sama sekali. Baris yang sudah terdaftar
            persis sama dilewati, jadi berkas yang sudah diperbaiki boleh diimpor ulang. Paling banyak 1000
            PTK baru sekali impor. --check hanya memeriksa isi berkas, tanpa masuk. Kata sandi operator
            diminta sekali. Berkas berisi kata sandi: hapus setelah impor.
            """,
            """
            The first row holds the column names: nama, email, password (required) and nuptk, nik, nip,
            username (optional). English names are accepted too (name, email, password). The separator ','
            or ';' is detected; a UTF-8 BOM and CRLF/LF line ends are accepted (RFC 4180).

            Every row is checked first: the file's content, then (after the login) addresses and usernames
            any account already uses, including accounts of other schools (without saying whose). If any row
            is bad, each bad row is reported with its line number and the reason, and NOTHING is imported
            (exit code 65). With --skip-invalid the good rows are imported. All imported PTK are stored in
            one commit: all or nothing. Rows already registered exactly as in the file are skipped, so a
            corrected file may be imported again. At most 1000 new PTK per import. --check only checks the
            file's content, without a login. The operator's password is asked for once. The file holds
            passwords: delete it after the import.
            """),
        options: [
            asOperator,
            .flag("check", "Hanya periksa berkas; jangan impor apa pun.", "Only check the file; import nothing."),
            .flag(
                "skip-invalid", "Impor baris yang benar (dalam satu commit) dan lewati baris yang salah.",
                "Import the good rows (in one commit) and skip the bad ones."),
            .value(
                "separator", ",|;", "Pemisah kolom (bawaan: dikenali dari baris judul).",
                "The field separator (default: detected from the header row)."),
            .flag(
                "accept-unusual-domains", "Terima alamat yang domainnya mirip salah ketik.",
                "Accept addresses whose domain looks like a typo."),
        ],
        arguments: [
            ArgumentSpec("file", "Berkas CSV.", "The CSV file.")
        ],
        examples: [
            "dapodik-verify ptk import --as siti@sdn1.sch.id --check ptk.csv",
            "dapodik-verify ptk import --as siti@sdn1.sch.id ptk.csv",
        ],
        supportsJSON: true, action: ImportCommand.run)
}
