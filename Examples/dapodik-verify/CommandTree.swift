import DapodikVerification

/// The program's command tree: each command group and command is declared, with its typed options
/// and its action, in its own type under `Commands/`.
enum CommandTree {
    /// The program itself: the root of the tree.
    static let root = Command.group(
        HelpFormatter.programName,
        summary: text(
            "verifikasi email akun Dapodik (operator dan PTK) dari terminal.",
            "the e-mail verification of Dapodik accounts (operators and PTK) from a terminal."),
        discussion: text(
            """
            Data disimpan di direktori data (--data, $DAPODIK_DATA, atau ./.dapodik-data): penyimpanan berkas di
            store/, kunci kode (satu-satunya rahasia) di secret-keys (0600), dan email keluar di Maildir mail/
            kecuali --sendmail diberikan. Hanya 'school create' (dan 'demo') yang membuat direktori data
            baru; perintah lain menolak direktori yang belum ada (kode keluar 66), jadi salah ketik --data
            tidak diam-diam memulai direktori kosong. Bila proses lain memegang penyimpanan (pemadatan, impor atau
            cadangan yang panjang, atau proses yang terhenti), program memberi tahu setelah satu detik dan
            menyerah dengan kode keluar 75 setelah $DAPODIK_LOCK_WAIT detik (bawaan 60) tanpa mengubah apa pun.

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
            --data never silently starts an empty one. When another process holds the store (a long
            compaction, import or backup, or a stopped process), the program says so after a second and gives
            up with exit code 75 after $DAPODIK_LOCK_WAIT seconds (default 60), having changed nothing.

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
        ],
        [
            DemoCommand.command, SchoolCommands.command, OperatorCommands.command, PTKCommands.command,
            OutboxCommands.command, BounceCommands.command, MailboxCommands.command, FeedCommand.command,
            ReportCommand.command, KeyCommands.command, StoreCommands.command,
        ])
}
