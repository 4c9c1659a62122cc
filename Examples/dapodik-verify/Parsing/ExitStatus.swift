import DapodikVerification

/// The exit status of `dapodik-verify`, per BSD `sysexits.h` where one applies.
///
/// One rule decides every status (it is printed by `dapodik-verify --help` and the README):
/// the shape of the command line (or a password not given) is 64; a value that is not valid, wherever
/// it was given (an option, an argument, a CSV row, an environment variable), is 65; a missing data
/// directory, or a missing input file or folder named on the command line, is 66; what
/// waiting will fix (a throttle, a cool-down, a daily quota, a busy store) is 75; a well-formed
/// request the library refuses for good (wrong code, not allowed, address in use) is 1.
enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The command did what was asked.
    case success = 0
    /// The library refused a well-formed request, and waiting will not change that.
    case refused = 1
    /// `EX_USAGE`: the command line's shape was wrong (unknown command or option, missing option
    /// or argument, an option repeated or given a value it does not take), or a password was not
    /// given (no terminal, and no line for it on standard input).
    case usage = 64
    /// `EX_DATAERR`: a value was not valid: an NPSN, name, e-mail, time zone, number, cursor, or a
    /// CSV row.
    case dataError = 65
    /// `EX_NOINPUT`: there is no data directory where `--data` (or `DAPODIK_DATA`) points, or no
    /// input file or folder where the command line names one (`ptk import`, `bounce maildir`).
    case noInput = 66
    /// `EX_UNAVAILABLE`: mail cannot be sent (transport misconfigured, or the address refused for good).
    case unavailable = 69
    /// `EX_IOERR`: reading or writing the data directory or a file failed, or the output could not
    /// be written (the command itself may then have been done: standard error says so).
    case ioError = 74
    /// `EX_TEMPFAIL`: the same command will succeed later: a login throttle, the cool-down before a
    /// new code, the daily quota, a busy store, a temporary mail failure.
    case temporaryFailure = 75

    /// What the status means, for the `--help` text.
    var meaning: LocalizedText {
        switch self {
        case .success: LocalizedText(indonesian: "berhasil", english: "success")
        case .refused:
            LocalizedText(
                indonesian: "ditolak, dan menunggu tidak akan mengubahnya (kode salah, tidak berhak, alamat sudah "
                    + "dipakai, …)",
                english: "refused, and waiting will not change that (wrong code, not allowed, address in use, …)")
        case .usage:
            LocalizedText(
                indonesian: "bentuk baris perintah salah: perintah atau opsi tidak dikenal, opsi atau argumen "
                    + "kurang; atau kata sandi tidak diberikan (EX_USAGE)",
                english: "the command line's shape is wrong: unknown command or option, missing option or "
                    + "argument; or a password not given (EX_USAGE)")
        case .dataError:
            LocalizedText(
                indonesian: "sebuah nilai tidak valid: NPSN, nama, email, zona waktu, angka, kursor, atau baris CSV "
                    + "(EX_DATAERR)",
                english: "a value is not valid: an NPSN, name, e-mail, time zone, number, cursor, or CSV row "
                    + "(EX_DATAERR)")
        case .noInput:
            LocalizedText(
                indonesian: "tidak ada direktori data di --data / $DAPODIK_DATA, atau berkas/folder masukan yang "
                    + "disebut (EX_NOINPUT)",
                english: "there is no data directory at --data / $DAPODIK_DATA, or no input file or folder "
                    + "where one is named (EX_NOINPUT)")
        case .unavailable:
            LocalizedText(
                indonesian: "email tidak dapat dikirim: transport salah konfigurasi, atau alamat ditolak untuk "
                    + "seterusnya (EX_UNAVAILABLE)",
                english: "mail cannot be sent: transport misconfigured, or the address refused for good "
                    + "(EX_UNAVAILABLE)")
        case .ioError:
            LocalizedText(
                indonesian: "gagal membaca atau menulis berkas/direktori data, atau keluarannya (EX_IOERR)",
                english: "reading or writing a file, the data directory or the output failed (EX_IOERR)")
        case .temporaryFailure:
            LocalizedText(
                indonesian: "coba lagi nanti: batas login, jeda kode baru, kuota harian, atau gangguan sementara "
                    + "(EX_TEMPFAIL)",
                english: "try again later: login throttle, new-code cool-down, daily quota, or a temporary "
                    + "failure (EX_TEMPFAIL)")
        }
    }
}
