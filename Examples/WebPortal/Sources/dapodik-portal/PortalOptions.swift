import Foundation

/// The command line of `dapodik-portal`.
struct PortalOptions {
    var dataDirectory = ProcessInfo.processInfo.environment["DAPODIK_PORTAL_DATA"] ?? "portal-data"
    var host = "127.0.0.1"
    var port = 8080
    var demo = false
    var secureCookies = false
    var smtpURL: String?
    var storeURL: String?

    /// Reads the options; an unknown option or a missing value stops the program with a message.
    init(arguments: [String]) {
        var remaining = arguments[...]
        while let option = remaining.popFirst() {
            switch option {
            case "--help", "-h", "help":
                let english = ProcessInfo.processInfo.environment["DAPODIK_LANG"] == "en"
                FileHandle.standardOutput.write(Data((english ? Self.usage.english : Self.usage.indonesian).utf8))
                exit(0)
            case "--demo": demo = true
            case "--secure-cookies": secureCookies = true
            case "--data": dataDirectory = Self.value(of: option, from: &remaining)
            case "--host": host = Self.value(of: option, from: &remaining)
            case "--smtp": smtpURL = Self.value(of: option, from: &remaining)
            case "--store": storeURL = Self.value(of: option, from: &remaining)
            case "--port":
                guard let port = Int(Self.value(of: option, from: &remaining)), (1...65_535).contains(port) else {
                    Self.fail("--port: bukan nomor port / not a port number")
                }
                self.port = port
            default: Self.fail("Opsi tidak dikenal / unknown option: \(option)")
            }
        }
    }

    /// What `--help` prints: Indonesian, or English with `DAPODIK_LANG=en`.
    static let usage = (
        indonesian: """
        dapodik-portal — layar verifikasi email Dapodik di peramban, di atas DapodikVerification.

        PENGGUNAAN
          dapodik-portal [opsi]

        OPSI
          --data <direktori>  direktori data: berkas kunci, penyimpanan berkas, Maildir (bawaan ./portal-data,
                              atau $DAPODIK_PORTAL_DATA)
          --host <alamat>     alamat yang didengar (bawaan 127.0.0.1)
          --port <nomor>      port (bawaan 8080)
          --demo              buat sekolah contoh, tampilkan halaman Maildir, hash kata sandi lebih cepat
          --secure-cookies    portal dicapai lewat TLS (misalnya di belakang proxy TLS): cookie Secure dan HSTS
          --smtp <url>        kirim email lewat server SMTP: smtps://pengguna@host:465 atau
                              smtp://pengguna@host:587 (kata sandi dari $DAPODIK_SMTP_PASSWORD atau berkas
                              $DAPODIK_SMTP_PASSWORD_FILE; perlu trait SMTP)
          --store <url>       simpan data di PostgreSQL: postgres://pengguna@host:5432/basisdata (kata sandi dari
                              $PGPASSWORD; perlu trait PostgreSQL); dengan --demo hanya basis data atau skema
                              yang kosong atau dibuat oleh demo
          -h, --help          tampilkan bantuan ini

        LINGKUNGAN
          DAPODIK_SENDER      alamat pengirim setiap email (bawaan verifikasi@dapodik.example)
          DAPODIK_SMTP_PASSWORD  kata sandi untuk --smtp
          DAPODIK_SMTP_PASSWORD_FILE  berkas (mode 0600) berisi kata sandi untuk --smtp, bila
                              DAPODIK_SMTP_PASSWORD tidak diisi
          DAPODIK_SMTP_CA_FILE  sertifikat PEM yang dipercaya untuk --smtp, bukan milik sistem
          LOG_LEVEL           tingkat log (bawaan info)
          DAPODIK_LANG=en     bantuan ini dalam bahasa Inggris

        Opsi yang tidak dikenal atau nilai yang salah: kode keluar 64.

        """,
        english: """
        dapodik-portal — the Dapodik e-mail verification screens in a browser, over DapodikVerification.

        USAGE
          dapodik-portal [options]

        OPTIONS
          --data <directory>  the data directory: key file, file store, Maildir (default ./portal-data,
                              or $DAPODIK_PORTAL_DATA)
          --host <address>    the address to listen on (default 127.0.0.1)
          --port <number>     the port (default 8080)
          --demo              seed the demo school, show the Maildir page, hash passwords faster
          --secure-cookies    the portal is reached over TLS (e.g. behind a TLS proxy): Secure cookies and HSTS
          --smtp <url>        send through an SMTP server: smtps://user@host:465 or smtp://user@host:587
                              (password in $DAPODIK_SMTP_PASSWORD or the file $DAPODIK_SMTP_PASSWORD_FILE;
                              needs the SMTP trait)
          --store <url>       keep the records in PostgreSQL: postgres://user@host:5432/database (password in
                              $PGPASSWORD; needs the PostgreSQL trait); with --demo only a database or schema
                              that is empty or was made by the demo
          -h, --help          show this help

        ENVIRONMENT
          DAPODIK_SENDER      the sender address of every e-mail (default verifikasi@dapodik.example)
          DAPODIK_SMTP_PASSWORD  the password for --smtp
          DAPODIK_SMTP_PASSWORD_FILE  a file (mode 0600) holding the password for --smtp, when
                              DAPODIK_SMTP_PASSWORD is not set
          DAPODIK_SMTP_CA_FILE  PEM certificates --smtp trusts instead of the system's
          LOG_LEVEL           the log level (default info)
          DAPODIK_LANG=en     this help in English

        An unknown option or a bad value: exit status 64.

        """
    )

    private static func value(of option: String, from remaining: inout ArraySlice<String>) -> String {
        guard let value = remaining.popFirst() else { fail("\(option): nilai tidak ada / value missing") }
        return value
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(64)
    }
}
