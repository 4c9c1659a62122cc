import DapodikVerification
import Foundation

/// `key rotate|list`: the code keys of the data directory, its one secret (the outbox seal key is
/// derived from them), kept by the library's ``KeyFile``.
enum KeyCommands {
    static let command = Command.group(
        "key",
        summary: text(
            "kunci kode: satu-satunya rahasia direktori data.", "the code keys: the data directory's one secret."),
        [Rotate.command, List.command])

    /// The JSON form of one key generation: never its material.
    struct KeyJSON: Encodable {
        let id: String
        let createdAt: Date
        let current: Bool
    }

    /// Prints the generations, oldest first, marking the current one; JSON with `--json`.
    static func describe(_ keys: KeyFile.Contents, _ invocation: Invocation) throws {
        let console = invocation.console
        let current = keys.current.id
        if invocation.globals.json {
            try console.printJSON(
                keys.generations.map { KeyJSON(id: $0.id, createdAt: $0.createdAt, current: $0.id == current) })
            return
        }
        for generation in keys.generations {
            let marker =
                generation.id == current
                ? console.pick(" (aktif: membuat dan menyegel kode baru)", " (current: makes and seals new codes)")
                : ""
            console.row(["\(generation.id)", generation.createdAt.formatted(.iso8601) + marker])
        }
    }

    /// `key rotate`: a new key for new codes, or `--retire` an old one.
    enum Rotate {
        static let retire = Option<String>(
            "retire", "key-id", "Hapus kunci lama ini (setelah semua kodenya kedaluwarsa, 24 jam).",
            "Remove this old key (once all its codes have expired, after 24 hours)."
        ) { text, option throws(CLIError) in
            // Not a key's name at all (empty, a space, a slash) is a value that is not valid: 65.
            do throws(CodeError) {
                return try CodeKeyID(text).rawValue
            } catch {
                throw CLIError(
                    CLIError.Code("invalid." + error.code.rawValue), status: .dataError,
                    indonesian: "--\(option): \(error.message.indonesian)",
                    english: "--\(option): \(error.message.english)")
            }
        }

        static let command = Command(
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
            options: [retire], examples: ["dapodik-verify key rotate", "dapodik-verify key rotate --retire k1"],
            supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let data = DataDirectory(path: invocation.globals.dataDirectory)
            try data.requireExisting(recordsInDatabase: invocation.recordsInDatabase)
            let keyFile = KeyFile(at: data.secretKeys, lockWait: try StoreLockWait.policy(invocation))
            if let retire = try invocation.value(Self.retire) {
                try describe(try keyFile.retire(retire), invocation)
                if !invocation.globals.json {
                    invocation.console.say(
                        "Kunci \(retire) dipensiunkan dan dihapus dari berkas kunci.",
                        "Key \(retire) is retired and removed from the key file.")
                }
                return .success
            }
            // A new key gets an id the store has never seen, so its check value can be recorded: the
            // store the records are in (PostgreSQL with --store), never a file store made beside it.
            let store = try await ServiceContext.openStore(invocation, data: data)
            defer { (store as? FileRecordStore)?.close() }
            let unused = try await KeyFile.firstUnusedKeyNumber(in: store)
            let now = Date()
            let rotation = try keyFile.rotate(now: now, smallestNumber: unused)
            // Recorded now, not by the next command that writes: a command that only reads, on a copy on
            // read-only media made meanwhile, then finds every key it is given already known.
            do {
                try await rotation.contents.verify(against: store)
            } catch {
                throw tookEffect(rotation.contents.current.id, despite: error)
            }
            try describe(rotation.contents, invocation)
            if !invocation.globals.json, let previous = rotation.previousID {
                let current = rotation.contents.current.id
                let retireFrom = now.addingTimeInterval(Double(KeyFile.retirementDelay.components.seconds)).formatted(
                    .iso8601)
                invocation.console.say(
                    "Kunci \(current) kini membuat dan menyegel kode baru; \(previous) tetap memeriksa kode yang "
                        + "sudah dikirim. Pensiunkan \(previous) mulai \(retireFrom): dapodik-verify key rotate "
                        + "--retire \(previous)",
                    "Key \(current) now makes and seals new codes; \(previous) still checks codes already sent. "
                        + "Retire \(previous) from \(retireFrom): dapodik-verify key rotate --retire \(previous)")
            }
            return .success
        }

        /// The failure of a step after the new key file was written (recording the new key's check value
        /// in the store): the rotation has taken effect all the same, which a person must be told, or they
        /// rotate again, or believe the old key still makes codes.
        /// - Parameters:
        ///   - key: The new key's id.
        ///   - error: What the step threw.
        /// - Returns: The error to report: the step's own code and status, its words inside words that say
        ///   the rotation has taken effect and what to do.
        static func tookEffect(_ key: String, despite error: any Error) -> CLIError {
            let failure = ErrorClassification.classify(error)
            return CLIError(
                failure.code, status: failure.status,
                indonesian:
                    "Rotasi sudah berlaku: kunci baru \(key) sudah tertulis di berkas kunci dan kini membuat serta "
                    + "menyegel kode baru. Hanya nilai pemeriksanya yang belum tercatat di penyimpanan, karena: "
                    + "\(failure.message.indonesian) Atasi masalah penyimpanan itu; perintah berikutnya yang mengubah data "
                    + "mencatatnya. Menjalankan 'key rotate' lagi tidak perlu: itu hanya menambah satu kunci lagi (tidak "
                    + "berbahaya).",
                english:
                    "The rotation has taken effect: the new key \(key) is written to the key file and now makes and "
                    + "seals new codes. Only its check value is not recorded in the store yet, because: "
                    + "\(failure.message.english) Fix that problem of the store; the next command that changes data "
                    + "records it. Running 'key rotate' again is not needed: it only adds one more key (harmless).")
        }
    }

    /// `key list`: the generations, without their material.
    enum List {
        static let command = Command(
            "list",
            summary: text(
                "daftar kunci kode (tanpa isinya); yang aktif membuat dan menyegel kode baru.",
                "list the code keys (without their contents); the current one makes and seals new codes."),
            examples: ["dapodik-verify key list"], supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let data = DataDirectory(path: invocation.globals.dataDirectory)
            try data.requireExisting()
            try describe(
                try KeyFile(at: data.secretKeys, lockWait: try StoreLockWait.policy(invocation)).read(), invocation)
            return .success
        }
    }
}
