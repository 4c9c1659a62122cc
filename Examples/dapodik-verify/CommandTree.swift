import DapodikVerification

/// Every command of `dapodik-verify`, with its help text. The actions live in `Commands/`.
enum CommandTree {
    /// The program itself: the root of the tree.
    static let root = Command.group(
        HelpFormatter.programName,
        summary: text(
            "verifikasi email akun Dapodik (operator dan PTK) dari terminal.",
            "the e-mail verification of Dapodik accounts (operators and PTK) from a terminal."),
        [
            demo,
            school,
            operatorGroup,
            ptk,
            outbox,
            bounce,
            mailbox,
            feed,
            report,
            key,
            store,
        ]
    ).with(
        discussion: text(
            """
            Data disimpan di direktori data (--data, $DAPODIK_DATA, atau ./.dapodik-data): toko berkas di
            store/, kunci kode (satu-satunya rahasia) di secret-keys (0600), dan email keluar di Maildir mail/
            kecuali --sendmail diberikan. Hanya 'school create' (dan 'demo') yang membuat direktori data
            baru; perintah lain menolak direktori yang belum ada (kode keluar 66), jadi salah ketik --data
            tidak diam-diam memulai direktori kosong.

            Sesi: setiap perintah atas nama seseorang memakai --as <username atau email> lalu meminta kata
            sandi orang itu. Di terminal kata sandi diketik tanpa tampil; bila standard input bukan terminal,
            setiap kata sandi dibaca sebagai satu baris dari standard input. Kata sandi tidak pernah diterima
            dari baris perintah dan tidak pernah disimpan oleh program ini.

            Mulai dengan: dapodik-verify demo
            """,
            """
            Data lives in the data directory (--data, $DAPODIK_DATA, or ./.dapodik-data): the file store in
            store/, the code keys (the one secret) in secret-keys (0600), and outgoing mail in the mail/
            Maildir unless --sendmail is given. Only 'school create' (and 'demo') set up a new data
            directory; every other command refuses one that does not exist (exit code 66), so a mistyped
            --data never silently starts an empty one.

            Sessions: every command done on someone's behalf takes --as <username or e-mail> and then asks for
            that person's password. On a terminal it is typed without echo; when standard input is not a
            terminal, each password is read as one line of standard input. Passwords are never taken from the
            command line and never stored by this program.

            Start with: dapodik-verify demo
            """),
        examples: [
            "dapodik-verify demo",
            "dapodik-verify demo --lang en",
            "dapodik-verify --data ./sekolah ptk list --as operator@sdn1.sch.id",
            "dapodik-verify help ptk import",
        ])

    static let asOperator = OptionSpec.value(
        "as", "operator", "Username atau email operator yang menjalankan perintah (kata sandinya diminta).",
        "Username or e-mail of the operator running the command (their password is asked for).", required: true)
    static let asPTK = OptionSpec.value(
        "as", "ptk", "Username atau email PTK yang menjalankan perintah (kata sandinya diminta).",
        "Username or e-mail of the PTK running the command (their password is asked for).", required: true)
    static let acceptUnusualDomain = OptionSpec.flag(
        "accept-unusual-domain",
        "Simpan alamat apa adanya walau domainnya mirip salah ketik (misalnya gmial.com).",
        "Keep the address as typed even though its domain looks like a typo (such as gmial.com).")

    static let demo = Command(
        "demo",
        summary: text(
            "jalankan seluruh skenario verifikasi di direktori sementara, langkah demi langkah.",
            "run the whole verification scenario in a temporary directory, step by step."),
        discussion: text(
            """
            Sekolah dan operator dibuat; operator memverifikasi emailnya sendiri; operator mendaftarkan PTK
            dengan alamat salah ketik (gmial.com) yang tertangkap sebelum dikirim lalu dibetulkan; PTK login,
            memeriksa alamat, menekan LANJUT; email pertama tertunda (server email gangguan sementara) dan
            status menunjukkan kapan dicoba lagi; PTK meminta kode baru; kode PERTAMA tiba terlambat dan tetap
            diterima; PTK terverifikasi dan feed sinkron menunjukkan emailVerified.
            """,
            """
            A school and its operator are created; the operator verifies their own e-mail; the operator
            registers a PTK with a mistyped address (gmial.com) that is caught before sending and corrected;
            the PTK logs in, checks the address, presses LANJUT; the first mail is delayed (the mail server
            fails temporarily) and the status says when it is retried; the PTK asks for a new code; the FIRST
            code arrives late and is still accepted; the PTK is verified and the sync feed shows emailVerified.
            """),
        options: [
            .value(
                "keep", "dir", "Pakai dan simpan direktori ini (harus belum ada) alih-alih direktori sementara.",
                "Use and keep this directory (must not exist yet) instead of a temporary one.")
        ],
        examples: ["dapodik-verify demo", "dapodik-verify demo --lang en", "dapodik-verify demo --keep ./demo-data"],
        action: DemoCommand.run)
}

extension Command {
    /// The command with a discussion and examples added.
    func with(discussion: LocalizedText? = nil, examples: [String] = []) -> Command {
        var copy = self
        if let discussion { copy.discussion = discussion }
        copy.examples += examples
        return copy
    }
}
