import DapodikVerification

extension CommandTree {
    static let bounce = Command.group(
        "bounce",
        summary: text(
            "baca pantulan (bounce): email kode yang dikembalikan server penerima.",
            "read bounces: code e-mails that the receiving server returned."),
        [
            Command(
                "read",
                summary: text(
                    "baca satu pesan pantulan dari standard input (untuk pipe Postfix atau .forward).",
                    "read one bounce message from standard input (for a Postfix pipe or .forward)."),
                discussion: text(
                    """
                    Pesan yang dialamatkan ke alamat balik bounce+<token>@<domain pengirim> dicatat pada email
                    kodenya; status verifikasi PTK berikutnya menyebut kode dikembalikan dan sebabnya. Balasan
                    otomatis, pesan tanpa token yang sah, dan laporan keberhasilan tidak mengubah apa pun.
                    Keluar 0 bila pesan terbaca (tercatat atau diabaikan), 65 bila pesan tidak terbaca, 75 bila
                    toko data gagal (Postfix akan mencoba lagi).
                    """,
                    """
                    A message addressed to a return address bounce+<token>@<sender domain> is recorded on its
                    code's e-mail; the PTK's next verification status says the code was returned and why.
                    Auto-replies, messages without a valid token and success reports change nothing. Exits 0
                    when the message was read (recorded or ignored), 65 when it cannot be read, 75 when the store
                    fails (Postfix then tries again).
                    """),
                options: [
                    .value(
                        "recipient", "address",
                        "Alamat penerima amplop (Postfix: ${recipient}); bila tidak ada, header pesan dipakai.",
                        "The envelope recipient (Postfix: ${recipient}); without it the message's headers are used.")
                ],
                examples: [
                    "dapodik-verify bounce read < pantulan.eml",
                    "dapodik-verify --data /var/lib/dapodik bounce read --recipient bounce+0f…@sekolah.example",
                ],
                supportsJSON: true, action: BounceCommands.read),
            Command(
                "maildir",
                summary: text(
                    "baca setiap pesan baru di Maildir pantulan, lalu tandai sudah dibaca.",
                    "read every new message in a bounce Maildir, then mark it as seen."),
                discussion: text(
                    """
                    Setiap pesan di new/ dibaca sekali lalu dipindah ke cur/ dengan tanda S (sudah dibaca), juga
                    pesan yang tidak terbaca. Cocok untuk cron, di samping 'outbox drain'.
                    """,
                    """
                    Every message in new/ is read once and moved to cur/ with the S (seen) flag, unreadable ones
                    too. Suitable for cron, beside 'outbox drain'.
                    """),
                arguments: [
                    ArgumentSpec(
                        "maildir", "Direktori Maildir yang menerima pantulan (berisi new/ dan cur/).",
                        "The Maildir the bounces are delivered into (holding new/ and cur/).")
                ],
                examples: ["dapodik-verify bounce maildir /var/mail/dapodik-bounces"], supportsJSON: true,
                action: BounceCommands.maildir),
        ])
}
