import DapodikVerification

/// The exit status of `dapodik-verify`, per BSD `sysexits.h` where one applies.
///
/// Scripts can rely on these numbers; they are documented in `dapodik-verify --help`.
enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The command did what was asked.
    case success = 0
    /// The library refused: wrong code, not allowed, address in use, account locked, ….
    case refused = 1
    /// `EX_USAGE`: the command line was wrong (unknown command or option, missing value).
    case usage = 64
    /// `EX_DATAERR`: the input data was wrong (a CSV file with bad rows).
    case dataError = 65
    /// `EX_UNAVAILABLE`: mail cannot be sent (transport misconfigured or refusing).
    case unavailable = 69
    /// `EX_IOERR`: reading or writing the data directory or a file failed.
    case ioError = 74
    /// `EX_TEMPFAIL`: a temporary failure; trying again later may succeed.
    case temporaryFailure = 75

    /// What the status means, for the `--help` text.
    var meaning: LocalizedText {
        switch self {
        case .success: LocalizedText(indonesian: "berhasil", english: "success")
        case .refused:
            LocalizedText(
                indonesian: "ditolak (kode salah, tidak berhak, alamat sudah dipakai, akun terkunci, …)",
                english: "refused (wrong code, not allowed, address in use, account locked, …)")
        case .usage:
            LocalizedText(
                indonesian: "perintah atau opsi salah (EX_USAGE)", english: "wrong command or option (EX_USAGE)")
        case .dataError:
            LocalizedText(
                indonesian: "data masukan salah, misalnya baris CSV yang tidak valid (EX_DATAERR)",
                english: "bad input data, such as invalid CSV rows (EX_DATAERR)")
        case .unavailable:
            LocalizedText(
                indonesian: "email tidak dapat dikirim: transport salah konfigurasi (EX_UNAVAILABLE)",
                english: "mail cannot be sent: transport misconfigured (EX_UNAVAILABLE)")
        case .ioError:
            LocalizedText(
                indonesian: "gagal membaca atau menulis berkas/direktori data (EX_IOERR)",
                english: "reading or writing a file or the data directory failed (EX_IOERR)")
        case .temporaryFailure:
            LocalizedText(
                indonesian: "gangguan sementara, coba lagi nanti (EX_TEMPFAIL)",
                english: "temporary failure, try again later (EX_TEMPFAIL)")
        }
    }
}
