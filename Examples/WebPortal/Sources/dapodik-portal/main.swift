// dapodik-portal: the seed's screens in a browser, over DapodikVerification.
//
//     swift run dapodik-portal --demo                 # http://127.0.0.1:8080, a demo school
//     swift run dapodik-portal --data /srv/portal --port 8080 --secure-cookies
//
// Options: --data DIR (default ./portal-data, or $DAPODIK_PORTAL_DATA), --host (127.0.0.1),
// --port (8080), --demo (seed the demo school, show the Maildir page, faster password hashing),
// --secure-cookies (the portal is reached over TLS, e.g. behind a TLS-terminating proxy).
// $DAPODIK_SENDER is the sender address of every e-mail.
import DapodikVerification
import Foundation
import Hummingbird
import WebPortalCore

let options = PortalOptions(arguments: Array(CommandLine.arguments.dropFirst()))
let data = PortalDataDirectory(path: options.dataDirectory)
let sender = try EmailAddress(ProcessInfo.processInfo.environment["DAPODIK_SENDER"] ?? "verifikasi@dapodik.example")
// The demo's accounts live only in a throw-away directory, so it hashes passwords with fewer PBKDF2
// iterations than the library's 600,000, as the CLI's `demo` does.
let service = try data.openService(
    passwordHasher: options.demo ? PBKDF2PasswordHasher(iterations: 10_000) : nil, sender: sender)
if options.demo, try await DemoSchool.seed(into: service) {
    print("Demo: sekolah SD Negeri 1 Contoh dibuat; operator \(DemoSchool.operatorUsername).")
}
let portal = Portal(
    configuration: PortalConfiguration(
        service: service, demoMaildir: options.demo ? data.maildir : nil, secureCookies: options.secureCookies,
        demoHint: options.demo ? DemoSchool.hint : nil))
// The outbox dispatcher: retries deliveries that failed for a reason that may pass.
let dispatcher = Task { try await service.runDispatcher() }
let app = Application(
    router: portal.router(),
    configuration: .init(address: .hostname(options.host, port: options.port), serverName: "dapodik-portal"))
try await app.runService()
dispatcher.cancel()
