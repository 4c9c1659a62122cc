// dapodik-portal: the seed's screens in a browser, over DapodikVerification.
//
//     swift run dapodik-portal --demo                 # http://127.0.0.1:8080, a demo school
//     swift run dapodik-portal --data /srv/portal --port 8080 --secure-cookies
//
// Options: --data DIR (default ./portal-data, or $DAPODIK_PORTAL_DATA), --host (127.0.0.1),
// --port (8080), --demo (seed the demo school, show the Maildir page, faster password hashing),
// --secure-cookies (the portal is reached over TLS, e.g. behind a TLS-terminating proxy),
// --smtp smtps://user@host:465 (or smtp://user@host:587, STARTTLS) to send through an SMTP server
// instead of the Maildir, with the password in $DAPODIK_SMTP_PASSWORD or in the file (mode 0600) named
// by $DAPODIK_SMTP_PASSWORD_FILE (never on the command line) and, for a server whose certificate a
// private CA issued, that CA's PEM file in $DAPODIK_SMTP_CA_FILE.
// --store postgres://user@host:5432/db keeps the records in PostgreSQL (the password in $PGPASSWORD);
// the data directory still holds the key file and the Maildir. With --demo, the demo creates the
// schema and takes only an empty store or one it made (CI runs the seed flow so).
// --smtp and --store need the portal's traits: `swift run --traits SMTP,PostgreSQL dapodik-portal ...`.
// $DAPODIK_SENDER is the sender address of every e-mail.
import DapodikVerification
import Foundation
import Hummingbird
import Logging
import WebPortalCore

let options = PortalOptions(arguments: Array(CommandLine.arguments.dropFirst()))
let environment = ProcessInfo.processInfo.environment
let data = PortalDataDirectory(path: options.dataDirectory)
// One log for requests and for the problems no visitor waits on (a mail transport that cannot send, a
// failed compaction of the store); $LOG_LEVEL sets its level, as Hummingbird's own default does.
var logger = Logger(label: "dapodik-portal")
logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
let service: VerificationService
// What the mail transport last said of itself: the code page tells the person waiting when no code can
// be sent until the transport's configuration is fixed (a refused certificate, say).
let mailWatch = MailTransportWatch()
do {
    let sender = try EmailAddress(environment["DAPODIK_SENDER"] ?? "verifikasi@dapodik.example")
    let smtp = try options.smtpURL.map { try smtpTransport(url: $0, environment: environment) }
    // The demo's accounts live only in a throw-away directory, so it hashes passwords with fewer
    // PBKDF2 iterations than the library's 600,000, as the CLI's `demo` does.
    var store: (any RecordStore)?
    if let url = options.storeURL {
        store = try await postgresStore(url: url, demo: options.demo, environment: environment)
    }
    service = try await data.openService(
        demo: options.demo,
        passwordHasher: options.demo
            ? PBKDF2PasswordHasher(iterations: PortalDataDirectory.demoPasswordIterations) : nil,
        store: store,
        transport: smtp, sender: sender, mailWatch: mailWatch, logger: logger)
    if options.demo, try await DemoSchool.seed(into: service) {
        print("Demo: sekolah SD Negeri 1 Contoh dibuat; operator \(DemoSchool.operatorUsername).")
    }
} catch {
    // A bad setting or an unusable data directory: say which, in both languages, and stop.
    let message =
        (error as? any LocalizedFailure).map { "\($0.message.indonesian)\n\($0.message.english)" }
        ?? "Tidak dapat memulai / cannot start: \(error)"
    FileHandle.standardError.write(Data(("dapodik-portal: " + message + "\n").utf8))
    exit(
        (error as? PortalSetupError)?.exitStatus ?? (error as? SecretFileError)?.exitStatus
            ?? (error is any LocalizedFailure ? 64 : 74))
}
let portal = Portal(
    configuration: PortalConfiguration(
        service: service, demoMaildir: options.demo ? data.maildir : nil, secureCookies: options.secureCookies,
        demoHint: options.demo ? DemoSchool.hint : nil, mailWatch: mailWatch))
// The outbox dispatcher: retries deliveries that failed for a reason that may pass.
let dispatcherLogger = logger
let dispatcher = Task {
    // A store out of reach for now is logged and waited out; the loop ends only on other store failures.
    try await service.runDispatcher { error, pause in
        dispatcherLogger.warning(
            "outbox dispatcher: the store is out of reach; trying again",
            metadata: ["error": "\(error.message.english)", "pauseSeconds": "\(pause.components.seconds)"])
    }
}
let app = Application(
    router: portal.router(), server: Portal.server(strictTransportSecurity: options.secureCookies),
    configuration: .init(address: .hostname(options.host, port: options.port), serverName: "dapodik-portal"),
    logger: logger)
try await app.runService()
dispatcher.cancel()
