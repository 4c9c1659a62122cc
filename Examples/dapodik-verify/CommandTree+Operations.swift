import DapodikVerification

extension CommandTree {
    static let outbox = Command.group(
        "outbox",
        summary: text(
            "kotak keluar: email yang menunggu dikirim.", "the outbox: mail waiting to be sent."),
        [
            Command(
                "drain",
                summary: text(
                    "kirim sekali setiap email yang sudah waktunya, lalu selesai.",
                    "send every message that is due, once, then stop."),
                discussion: text(
                    """
                    Kegagalan sementara dicoba lagi nanti (jeda makin panjang); kegagalan permanen dihentikan
                    dengan alasannya; kode yang sudah kedaluwarsa tidak dikirim. Cocok untuk cron.
                    """,
                    """
                    Temporary failures are retried later (with growing delays); permanent failures stop with
                    their reason; a code that has expired is not sent. Suitable for cron.
                    """),
                examples: ["dapodik-verify outbox drain", "dapodik-verify --sendmail /usr/sbin/sendmail outbox drain"],
                supportsJSON: true, action: OutboxCommands.drain),
            Command(
                "run",
                summary: text(
                    "kirim terus-menerus sampai dihentikan (Ctrl-C).", "keep sending until stopped (Ctrl-C)."),
                options: [
                    .value(
                        "interval", "seconds", "Jeda antar pemeriksaan bila kotak keluar kosong (bawaan 5).",
                        "The pause between checks when the outbox is empty (default 5).")
                ],
                examples: ["dapodik-verify outbox run --interval 10"], action: OutboxCommands.run),
        ])

    static let mailbox = Command.group(
        "mailbox",
        summary: text(
            "baca Maildir <data>/mail: email yang 'terkirim' oleh program ini.",
            "read the <data>/mail Maildir: the mail this program 'sent'."),
        [
            Command(
                "list",
                summary: text("daftar pesan, terbaru terakhir.", "list the messages, newest last."),
                options: [
                    .value("to", "email", "Hanya pesan untuk alamat ini.", "Only messages to this address.")
                ],
                examples: ["dapodik-verify mailbox list", "dapodik-verify mailbox list --to budi@gmail.com --json"],
                supportsJSON: true, action: MailboxCommands.list),
            Command(
                "show",
                summary: text("tampilkan satu pesan utuh.", "show one whole message."),
                arguments: [
                    ArgumentSpec(
                        "message", "Nomor pesan dari 'mailbox list' atau nama berkasnya.",
                        "The message's number from 'mailbox list' or its file name.")
                ],
                examples: ["dapodik-verify mailbox show 1"], action: MailboxCommands.show),
            Command(
                "code",
                summary: text(
                    "ambil kode verifikasi dari pesan terbaru untuk sebuah alamat.",
                    "extract the verification code from the newest message to an address."),
                options: [
                    .value(
                        "to", "email", "Alamat penerima.", "The recipient's address.", required: true),
                    .value(
                        "nth", "n", "Ambil dari pesan ke-n untuk alamat itu (1 = pertama), bukan yang terbaru.",
                        "Take it from the n-th message to that address (1 = first) instead of the newest."),
                ],
                examples: ["dapodik-verify mailbox code --to budi@gmail.com"], supportsJSON: true,
                action: MailboxCommands.code),
        ])

    static let feed = Command(
        "feed",
        summary: text(
            "feed sinkron: peristiwa berurutan setelah sebuah kursor (juga jejak audit).",
            "the sync feed: ordered events after a cursor (also the audit trail)."),
        discussion: text(
            """
            Pihak Dapodik menarik peristiwa setelah kursor terakhir yang diprosesnya dan melihat email menjadi
            terverifikasi (emailVerified). Simpan 'next' dari keluaran sebagai --after berikutnya.
            """,
            """
            A Dapodik-side consumer pulls the events after the last cursor it processed and sees e-mails become
            verified (emailVerified). Keep the output's 'next' as the following --after.
            """),
        options: [
            .value(
                "after", "cursor", "Kursor: hanya peristiwa setelahnya (bawaan 0).",
                "Cursor: only events after it (default 0)."),
            .value("limit", "n", "Paling banyak n peristiwa (bawaan 100).", "At most n events (default 100)."),
        ],
        examples: ["dapodik-verify feed --json", "dapodik-verify feed --after 42.0 --limit 500 --json"],
        supportsJSON: true, action: FeedCommand.run)

    static let report = Command(
        "report",
        summary: text(
            "laporan sekolah: siapa terverifikasi, menunggu, belum mulai, atau tidak terkirim.",
            "the school report: who is verified, pending, never started, or undeliverable."),
        options: [asOperator], examples: ["dapodik-verify report --as siti@sdn1.sch.id"], supportsJSON: true,
        action: ReportCommand.run)

    static let store = Command.group(
        "store",
        summary: text("pemeliharaan toko data berkas.", "maintenance of the file store."),
        [
            Command(
                "compact",
                summary: text(
                    "tulis ulang rekaman yang hidup ke generasi baru (berkas lebih kecil, buka lebih cepat).",
                    "rewrite the live records into a new generation (smaller files, faster opening)."),
                discussion: text(
                    """
                    Aman dijalankan kapan saja, juga saat proses lain memakai direktori yang sama; toko juga
                    memadatkan diri otomatis saat log membesar. Peristiwa feed sinkron tidak pernah hilang.
                    """,
                    """
                    Safe at any time, also while other processes use the same directory; the store also
                    compacts itself when the log grows. Events of the sync feed are never lost.
                    """),
                examples: ["dapodik-verify store compact"], action: StoreCommands.compact),
            Command(
                "salvage",
                summary: text(
                    "buat toko yang lognya rusak dapat dibuka lagi, dengan menyimpan setiap commit yang utuh.",
                    "make a store with a damaged log openable again, keeping every intact commit."),
                discussion: text(
                    """
                    Commit di bagian log yang rusak hilang, juga commit sesudahnya yang tidak lagi cocok (misalnya
                    versi berikutnya dari data yang sama); setiap commit utuh lain disimpan. Laporannya menyebut
                    urutan, jumlah, koleksi dan kunci yang hilang, agar dapat dimasukkan ulang. Log yang rusak
                    disalin utuh di sampingnya. Snapshot atau manifest yang rusak tidak diperbaiki di sini. Tidak
                    boleh ada proses lain yang memakai direktori data.
                    """,
                    """
                    Commits in the damaged part of the log are lost, and so are later ones that no longer fit (say,
                    the next version of the same record); every other intact commit is kept. The report names the
                    sequences, count, collections and keys lost, so they can be entered again. The damaged log is
                    copied beside it, untouched. A damaged snapshot or manifest is not repaired here. No other
                    process may use the data directory.
                    """),
                options: [
                    .flag(
                        "yes", "Ya, buang commit yang rusak.", "Yes, drop the damaged commits.")
                ],
                examples: ["dapodik-verify store salvage --yes"], supportsJSON: true, action: StoreCommands.salvage),
            Command(
                "recover",
                summary: text(
                    "bangun ulang manifest (CURRENT) yang hilang atau rusak dari generasi utuh terbaru.",
                    "rebuild a missing or damaged manifest (CURRENT) from the newest intact generation."),
                discussion: text(
                    """
                    Toko menolak dibuka bila CURRENT hilang atau rusak, dan tidak menghapus apa pun. Perintah ini
                    memilih generasi utuh dengan commit terbanyak, menyimpan manifest yang rusak sebagai
                    CURRENT.damaged-<n>, dan menyisihkan berkas generasi lain dengan akhiran .set-aside (tidak
                    dihapus). Tidak boleh ada proses lain yang memakai direktori data.
                    """,
                    """
                    The store refuses to open when CURRENT is missing or damaged, and deletes nothing. This command
                    picks the intact generation holding the most commits, keeps a damaged manifest as
                    CURRENT.damaged-<n>, and sets the files of other generations aside with the suffix .set-aside
                    (not deleted). No other process may use the data directory.
                    """),
                options: [
                    .flag(
                        "yes", "Ya, tulis manifest baru.", "Yes, write a new manifest.")
                ],
                examples: ["dapodik-verify store recover --yes"], supportsJSON: true, action: RecoverCommand.run),
            Command(
                "backup",
                summary: text(
                    "salin toko data secara konsisten (kunci rahasia hanya dengan --with-keys), tanpa menghentikan "
                        + "proses lain.",
                    "copy the store consistently (the secret keys only with --with-keys), without stopping other "
                        + "processes."),
                discussion: text(
                    """
                    Selama penyalinan, commit proses lain menunggu sebentar (kunci LOCK toko). Maildir tidak
                    disalin. Untuk memulihkan: hentikan semua proses, lalu pakai direktori cadangan sebagai
                    --data.
                    """,
                    """
                    While copying, other processes' commits wait briefly (the store's LOCK). The Maildir is not
                    copied. To restore: stop every process, then use the backup directory as --data.
                    """),
                options: [
                    .flag(
                        "with-keys",
                        "Sertakan juga berkas kunci rahasia (secret-keys) di cadangan; simpan cadangan itu seaman "
                            + "kuncinya.",
                        "Also put the secret-keys file in the backup; keep such a backup as safe as the keys.")
                ],
                arguments: [
                    ArgumentSpec(
                        "destination", "Direktori baru untuk cadangan.", "A new directory for the backup.")
                ],
                examples: ["dapodik-verify store backup /srv/backup/dapodik-$(date +%F)"], action: BackupCommand.run),
        ])

    static let key = Command.group(
        "key",
        summary: text(
            "kunci kode: satu-satunya rahasia direktori data.", "the code keys: the data directory's one secret."),
        [
            Command(
                "rotate",
                summary: text(
                    "buat kunci baru untuk kode berikutnya; kunci lama tetap memeriksa kode yang sudah dikirim.",
                    "make a new key for new codes; old keys still check codes already sent."),
                discussion: text(
                    """
                    Kunci kode ada di berkas secret-keys (0600). Kunci aktif (yang terbaru) membuat digest kode
                    baru, dan kunci penyegel kode di kotak keluar diturunkan darinya, jadi tidak ada rahasia kedua.
                    Kunci lama tetap memeriksa kode yang sudah dikirim dan membuka email yang masih antre, sampai
                    dipensiunkan dengan --retire, paling cepat 24 jam setelah rotasi (umur terpanjang sebuah
                    kode). Proses yang berjalan lama (outbox run) membaca kunci saat mulai: jalankan ulang setelah
                    rotasi.
                    """,
                    """
                    The code keys live in the secret-keys file (0600). The current (newest) key makes the digests of
                    new codes, and the key that seals codes in the outbox is derived from it, so there is no second
                    secret. Older keys still check codes already sent and open queued e-mails until retired with
                    --retire, at the earliest 24 hours after the rotation (the longest a code lives). Long-running
                    processes (outbox run) read the keys when they start: restart them after a rotation.
                    """),
                options: [
                    .value(
                        "retire", "key-id", "Hapus kunci lama ini (setelah semua kodenya kedaluwarsa, 24 jam).",
                        "Remove this old key (once all its codes have expired, after 24 hours).")
                ],
                examples: ["dapodik-verify key rotate", "dapodik-verify key rotate --retire k1"],
                supportsJSON: true, action: KeyCommands.rotate),
            Command(
                "list",
                summary: text(
                    "daftar kunci kode (tanpa isinya); yang aktif membuat dan menyegel kode baru.",
                    "list the code keys (without their contents); the current one makes and seals new codes."),
                examples: ["dapodik-verify key list"], supportsJSON: true, action: KeyCommands.list),
        ])
}
