internal import DapodikHostSystem
public import DapodikLanguage

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

extension SendmailTransport {
    /// Why ``executablePath`` cannot be run, in the person's words; `nil` when it is a program this
    /// process may execute. See ``programProblem(at:)``.
    public var programProblem: LocalizedText? { Self.programProblem(at: executablePath) }

    /// Why the program at a path cannot be run, in the person's words, for a check before the first
    /// message is sent (a command line's `--sendmail`, an application's configuration): it is missing,
    /// a directory or other non-file, or lacks the permission to execute.
    ///
    /// ``send(_:envelope:)`` makes the same check before it starts the program, and reports the same
    /// words (in English, in ``MailTransportError/detail``) as ``MailTransportError/Code/programUnavailable``.
    /// A program that passes may still fail to start (a file that is not a program the system can
    /// load); only starting it tells.
    /// - Parameter path: The program's path, absolute or relative to the current directory.
    /// - Returns: The reason, in Indonesian and English, naming the path; `nil` when there is none.
    public static func programProblem(at path: String) -> LocalizedText? {
        guard !path.isEmpty else {
            return LocalizedText(
                indonesian: "Program sendmail tidak disebut (jalurnya kosong).",
                english: "No sendmail program is named (the path is empty).")
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            // Missing, a path through a file, a directory that may not be searched, …: the system's
            // reason in the person's words.
            let reason = ErrnoText.reason(errno, file: path)
            return LocalizedText(
                indonesian: "Program sendmail \(path) tidak dapat dipakai: \(reason.indonesian).",
                english: "The sendmail program \(path) cannot be used: \(reason.english).")
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else {
            return kind == S_IFDIR
                ? LocalizedText(
                    indonesian: "\(path) adalah direktori, bukan program sendmail.",
                    english: "\(path) is a directory, not a sendmail program.")
                : LocalizedText(
                    indonesian: "\(path) bukan berkas program biasa.", english: "\(path) is not a regular program file."
                )
        }
        guard access(path, X_OK) == 0 else {
            return LocalizedText(
                indonesian: "Program sendmail \(path) tidak boleh dijalankan: izin eksekusinya tidak ada (chmod +x?).",
                english: "The sendmail program \(path) may not be run: it lacks the execute permission (chmod +x?).")
        }
        return nil
    }
}
