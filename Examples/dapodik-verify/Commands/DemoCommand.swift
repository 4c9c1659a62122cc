import DapodikVerification
import Foundation

/// `demo`: the seed's whole scenario, narrated, in a fresh data directory.
///
/// It runs the library in-process with a hand-driven clock (so "two minutes later" takes no time)
/// and a mail server that is busy for the first PTK code, and shows after every step the CLI
/// command a person would type to do the same.
enum DemoCommand {
    /// Monday 24 August 2026, 07:30 WIB: a week before the school-funding deadline of 31 August.
    static let start = Date(timeIntervalSince1970: 1_787_531_400)

    /// The passwords of the demo's people. They exist only in the demo's temporary directory.
    static let operatorPassword = "Sekolah-Hebat-2026"
    static let ptkPassword = "Guru-Teladan-2026"

    static let keep = Option<String>(
        "keep", "dir", "Pakai dan simpan direktori ini (harus belum ada) alih-alih direktori sementara.",
        "Use and keep this directory (must not exist yet) instead of a temporary one.")

    static let command = Command(
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
        options: [keep],
        examples: ["dapodik-verify demo", "dapodik-verify demo --lang en", "dapodik-verify demo --keep ./demo-data"],
        action: run)

    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let console = invocation.console
        let directory: URL
        var temporary: URL?
        if let keep = try invocation.value(Self.keep) {
            directory = URL(fileURLWithPath: keep, isDirectory: true)
            guard !FileManager.default.fileExists(atPath: directory.path) else {
                throw CLIError.invalidValue(
                    indonesian: "--keep: \(keep) sudah ada; pilih direktori baru.",
                    english: "--keep: \(keep) already exists; choose a new directory.")
            }
        } else {
            directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("dapodik-demo-\(UUID().uuidString)", isDirectory: true)
            temporary = directory
        }
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }

        // The demo's own transport replaces --sendmail and --smtp; only the directory changes here.
        var demoInvocation = invocation
        demoInvocation.globals.dataDirectory = directory.path
        let clock = DemoClock(start: start)
        let data = DataDirectory(path: directory.path)
        try data.prepare()
        let transport = DemoTransport(maildir: MaildirTransport(directory: data.maildir, now: { clock.now }))
        // The demo's accounts live only in a throw-away directory, so it hashes passwords with fewer
        // PBKDF2 iterations than the 600,000 of real data directories, to run in seconds.
        let context = try await ServiceContext.open(
            demoInvocation, creating: true, now: { clock.now }, transport: transport,
            passwordHasher: PBKDF2PasswordHasher(iterations: 10_000))
        var demo = Demo(
            console: console, service: context.service, clock: clock, transport: transport,
            mailbox: MaildirReader(directory: data.maildir), directory: directory, kept: temporary == nil)
        try await demo.run()
        return .success
    }
}

/// The scenario, step by step.
struct Demo {
    let console: Console
    let service: VerificationService
    let clock: DemoClock
    let transport: DemoTransport
    let mailbox: MaildirReader
    let directory: URL
    let kept: Bool
    private var step = 0

    init(
        console: Console, service: VerificationService, clock: DemoClock, transport: DemoTransport,
        mailbox: MaildirReader, directory: URL, kept: Bool
    ) {
        self.console = console
        self.service = service
        self.clock = clock
        self.transport = transport
        self.mailbox = mailbox
        self.directory = directory
        self.kept = kept
    }

    var language: Language { console.language }
    let zone = SchoolTimeZone.wib

    func time(_ date: Date) -> String { zone.formattedDateTime(date, language: language) }

    mutating func heading(_ indonesian: String, _ english: String, after seconds: TimeInterval = 0) {
        clock.advance(by: seconds)
        step += 1
        console.line()
        console.line("== " + console.pick("Langkah", "Step") + " \(step): " + console.pick(indonesian, english))
        console.line("   " + console.pick("Waktu", "Time") + ": \(time(clock.now))")
    }

    func say(_ indonesian: String, _ english: String) { console.line("   " + console.pick(indonesian, english)) }

    func command(_ line: String) { console.line("   $ dapodik-verify " + line) }

    func show(_ lines: [String]) { for line in lines { console.data("   │ " + line) } }

    /// The newest code in the mailbox of `address`, and which message it came from.
    func newestCode(to address: String) throws -> (code: String, message: ReceivedMessage)? {
        let entries = try mailbox.entries().filter {
            MailboxCommands.address(in: $0.message.header("To") ?? "") == address.lowercased()
        }
        guard let last = entries.last, let code = last.message.codes.first else { return nil }
        return (code, last.message)
    }

    mutating func run() async throws {
        console.say(
            "Demo verifikasi email Dapodik. Data sementara: \(directory.path)",
            "Dapodik e-mail verification demo. Temporary data: \(directory.path)")
        if kept {
            console.say(
                "Direktori ini disimpan; lihat isinya dengan --data \(directory.path).",
                "This directory is kept; look into it with --data \(directory.path).")
        }

        // Operator: the school, the account, the operator's own verification.
        heading("Operator sekolah dan sekolahnya dibuat", "The school and its operator are created")
        let npsn = try NPSN("20100101")
        let school = School(npsn: npsn, name: try DisplayName("SD Negeri 1 Contoh"), timeZone: zone)
        let operatorEmail = try EmailAddress("siti.aminah@gmail.com")
        let operatorAccount = try await service.createSchool(
            school,
            operator: AccountRegistration(
                displayName: try DisplayName("Siti Aminah"), username: try Username("siti"), email: operatorEmail,
                password: DemoCommand.operatorPassword))
        command(
            "school create --npsn 20100101 --name \"SD Negeri 1 Contoh\" --time-zone WIB "
                + "--operator-name \"Siti Aminah\" --operator-email siti.aminah@gmail.com --operator-username siti")
        say(
            "Sekolah \(school.name.value) (NPSN \(npsn.value)) dengan operator \(operatorAccount.username.value).",
            "School \(school.name.value) (NPSN \(npsn.value)) with operator \(operatorAccount.username.value).")

        heading(
            "Operator login dan memverifikasi emailnya sendiri dulu",
            "The operator logs in and first verifies their own e-mail")
        let operatorSession = try await service.login(identifier: "siti", password: DemoCommand.operatorPassword)
        let operatorStatus = try await service.requestCode(
            for: operatorSession.account, by: operatorSession.account, language: language)
        command("operator request-code --as siti")
        show(StatusPresentation.lines(operatorStatus, language: language, now: clock.now))
        guard let operatorCode = try newestCode(to: operatorEmail.value) else {
            throw DemoFailure.noMail(operatorEmail.value)
        }
        say(
            "Kotak masuk siti.aminah@gmail.com: \"\(operatorCode.message.header("Subject") ?? "")\" berisi kode "
                + "\(operatorCode.code).",
            "Inbox of siti.aminah@gmail.com: \"\(operatorCode.message.header("Subject") ?? "")\" holds the code "
                + "\(operatorCode.code).")
        command("mailbox code --to siti.aminah@gmail.com")
        clock.advance(by: 60)
        let operatorResult = try await service.submitCode(
            operatorCode.code, for: operatorSession.account, by: operatorSession.account)
        command("operator confirm --as siti \(operatorCode.code)")
        show([operatorResult.message.text(in: language)])
        guard operatorResult.outcome == .verified else { throw DemoFailure.unexpected("operator verification") }
        say(
            "Baru sekarang operator boleh mengelola akun PTK.",
            "Only now may the operator manage PTK accounts.")

        // Operator registers the PTK; the typo is caught before anything is sent.
        heading(
            "Operator mendaftarkan PTK, dengan alamat salah ketik",
            "The operator registers a PTK, with a mistyped address", after: 9 * 60)
        let typed = try EmailAddress("budi.santoso@gmial.com")
        var registration = AccountRegistration(
            displayName: try DisplayName("Budi Santoso"), username: try Username("budi.santoso"), email: typed,
            password: DemoCommand.ptkPassword, nuptk: try NUPTK("1234567890123456"))
        command(
            "ptk register --as siti --name \"Budi Santoso\" --email budi.santoso@gmial.com --nuptk 1234567890123456")
        var suggestion: EmailAddress?
        do {
            _ = try await service.registerStaff(registration, by: operatorSession.account)
            throw DemoFailure.unexpected("typo not caught")
        } catch let error as VerificationError where error.code == .possibleTypo {
            suggestion = error.suggestion
            show([error.message.text(in: language)])
        }
        guard let corrected = suggestion else { throw DemoFailure.unexpected("no suggestion") }
        say(
            "Tertangkap SEBELUM dikirim: tidak ada kode yang hilang ke alamat yang tidak ada. Operator membetulkannya.",
            "Caught BEFORE sending: no code is lost to an address that does not exist. The operator corrects it.")
        registration.email = corrected
        let ptkAccount = try await service.registerStaff(registration, by: operatorSession.account)
        command("ptk register --as siti --name \"Budi Santoso\" --email \(corrected.value) --nuptk 1234567890123456")
        say(
            "PTK \(ptkAccount.displayName.value) terdaftar dengan \(corrected.value), belum verifikasi.",
            "PTK \(ptkAccount.displayName.value) registered with \(corrected.value), not verified.")

        // The PTK: login, BIODATA → Akun, VERIFIKASI SEKARANG, check the address, LANJUT.
        heading("PTK login dan membuka BIODATA → Akun", "The PTK logs in and opens BIODATA → Akun", after: 5 * 60)
        let ptkSession = try await service.login(identifier: "budi.santoso", password: DemoCommand.ptkPassword)
        let overview = try await service.accountOverview(by: ptkSession.account)
        command("ptk status --as budi.santoso")
        show(StatusPresentation.lines(overview, language: language))

        heading(
            "VERIFIKASI SEKARANG: PTK memeriksa Email Aktif sebelum LANJUT",
            "VERIFIKASI SEKARANG: the PTK checks the active e-mail before LANJUT")
        let started = try await service.startVerification(by: ptkSession.account)
        command("ptk start --as budi.santoso")
        show(["Email Aktif: \(started.email?.value ?? "-")"])
        say(
            "Alamatnya benar (sudah dibetulkan operator), jadi tidak perlu 'ptk correct-email'.",
            "The address is right (the operator corrected it), so no 'ptk correct-email' is needed.")

        heading(
            "LANJUT: kode dikirim, tetapi server email sedang sibuk",
            "LANJUT: the code is sent, but the mail server is busy")
        transport.delayNextMessage()
        let firstStatus = try await service.requestCode(
            for: ptkSession.account, by: ptkSession.account, language: language)
        command("ptk continue --as budi.santoso")
        show(StatusPresentation.lines(firstStatus, language: language, now: clock.now))
        guard case .retrying = firstStatus.state else { throw DemoFailure.unexpected("first mail not retrying") }

        heading(
            "Dua menit kemudian: kotak masuk masih kosong. Apakah server down? Tunggu 1×24 jam?",
            "Two minutes later: the inbox is still empty. Is the server down? Wait 24 hours?", after: 2 * 60)
        let retry = try await service.drainOutbox()
        command("outbox drain")
        show(OutboxCommands.lines(retry, console))
        say(
            "(Di server sungguhan 'outbox run' melakukan ini terus-menerus di latar belakang.)",
            "(On a real server 'outbox run' does this continuously in the background.)")
        command("mailbox list --to \(corrected.value)")
        let waiting = try newestCode(to: corrected.value)
        show([waiting == nil ? console.pick("(kotak masuk kosong)", "(the inbox is empty)") : "?"])
        let delivery = try await service.deliveryStatus(for: ptkSession.account, by: ptkSession.account)
        command("ptk delivery --as budi.santoso")
        show(StatusPresentation.lines(delivery, language: language, now: clock.now))
        say(
            "Layar menjawab pertanyaan penulis: email belum terkirim, server dicoba lagi otomatis, dan kapan kode "
                + "baru boleh diminta.",
            "The screen answers the author's questions: the mail has not gone out, the server is retried "
                + "automatically, and when a new code may be asked for.")

        heading("PTK meminta kode baru", "The PTK asks for a new code")
        let secondStatus = try await service.requestCode(
            for: ptkSession.account, by: ptkSession.account, language: language)
        command("ptk resend --as budi.santoso")
        show(StatusPresentation.lines(secondStatus, language: language, now: clock.now))
        guard let second = try newestCode(to: corrected.value) else { throw DemoFailure.noMail(corrected.value) }
        say(
            "Kotak masuk: \"\(second.message.header("Subject") ?? "")\" berisi \(second.code).",
            "Inbox: \"\(second.message.header("Subject") ?? "")\" holds \(second.code).")

        heading(
            "Tiga menit kemudian server pulih; kode PERTAMA tiba terlambat",
            "Three minutes later the server recovers; the FIRST code arrives late", after: 3 * 60)
        transport.release()
        var lateCode: (code: String, message: ReceivedMessage)?
        for _ in 0..<10 {
            let summary = try await service.drainOutbox()
            command("outbox drain")
            show(OutboxCommands.lines(summary, console))
            if summary.handedOver > 0 {
                lateCode = try newestCode(to: corrected.value)
                break
            }
            guard let next = summary.nextDueAt else { break }
            clock.set(next)
        }
        guard let late = lateCode, late.code != second.code else { throw DemoFailure.noMail(corrected.value) }
        say(
            "Pesan terbaru di kotak masuk berisi kode pertama: \(late.code). PTK mengetik kode dari email "
                + "yang terakhir tiba.",
            "The newest message in the inbox holds the first code: \(late.code). The PTK types the code from the "
                + "mail that arrived last.")
        command("mailbox code --to \(corrected.value)")

        heading(
            "SIMPAN: kode yang terlambat tetap diterima", "SIMPAN: the late code is still accepted", after: 60)
        let result = try await service.submitCode(late.code, for: ptkSession.account, by: ptkSession.account)
        command("ptk submit --as budi.santoso \(late.code)")
        show([result.message.text(in: language)])
        guard result.outcome == .verified else { throw DemoFailure.unexpected("late code refused") }
        say(
            "Kode sebelumnya dari verifikasi yang sama berlaku sampai kedaluwarsa, karena email bisa tiba tidak "
                + "berurutan.",
            "Earlier codes of the same verification stay valid until they expire, because mail can arrive out of "
                + "order.")

        heading(
            "Sinkron: pihak Dapodik menarik feed dan melihat email terverifikasi",
            "Sync: the Dapodik side pulls the feed and sees the e-mail verified")
        let events = try await service.events(after: .start, limit: 500)
        command("feed")
        show(
            events.map { event in
                "\(FeedCommand.cursorText(event.cursor))  \(event.kind.rawValue)"
                    + (event.email.map { "  \($0.value)" } ?? "")
            })
        guard
            events.contains(where: { $0.kind == .emailVerified && $0.account == ptkAccount.id })
        else { throw DemoFailure.unexpected("no emailVerified event") }

        heading("Laporan sekolah untuk operator", "The school report for the operator")
        let report = try await service.schoolReport(by: operatorSession.account)
        command("report --as siti")
        show(
            report.entries.map { entry in
                "\(entry.displayName.value): " + ReportCommand.standingText(entry.standing, console)
            })
        console.line()
        console.say(
            "Selesai: \(ptkAccount.displayName.value) terverifikasi dan terlihat oleh sinkron Dapodik (emailVerified).",
            "Done: \(ptkAccount.displayName.value) is verified and seen by the Dapodik sync (emailVerified).")
    }
}

/// The demo did not go as scripted: a bug, reported rather than narrated over.
struct DemoFailure: LocalizedFailure {
    let message: LocalizedText

    static func noMail(_ address: String) -> DemoFailure {
        DemoFailure(
            message: text(
                "Demo gagal: tidak ada email untuk \(address).", "The demo failed: no mail for \(address)."))
    }

    static func unexpected(_ what: String) -> DemoFailure {
        DemoFailure(message: text("Demo gagal: \(what).", "The demo failed: \(what)."))
    }
}
