import DapodikVerification
import Foundation

/// What the operator and a PTK share for verifying their own address: the account signed in with
/// `identity` asks for a code, submits one, or shows where it stands.
enum OwnVerification {
    /// How this program asks for a code, as the library's texts name it: `operator request-code` for
    /// the operator, `ptk continue` for a PTK or the principal, each `--as` the account.
    static let codeRequestAction = CodeRequestAction { role, username in
        let command =
            "dapodik-verify \(role == .operator ? "operator request-code" : "ptk continue") --as \(username.value)"
        return LocalizedText(indonesian: "perintah '\(command)'", english: "the command '\(command)'")
    }

    static func status(_ invocation: Invocation, as identity: RequiredOption<String>) async throws -> ExitStatus {
        let context = try await ServiceContext.open(invocation)
        let session = try await context.login(invocation, as: identity)
        let overview = try await context.service.accountOverview(by: session.account)
        try VerificationOutput.show(overview, invocation)
        return .success
    }

    static func requestCode(
        _ invocation: Invocation, as identity: RequiredOption<String>
    ) async throws -> ExitStatus {
        let context = try await ServiceContext.open(invocation)
        let session = try await context.login(invocation, as: identity)
        // A slow mail server holds the request until the transport's timeout: said once its send has
        // gone on for a second, as a wait for the store's lock or the database is, rather than a silent
        // terminal (not with --json, whose standard error carries only a JSON error). A slow database
        // is said by the store (``WatchedDatabase``), not blamed on the mail server.
        let console = invocation.console
        let json = invocation.globals.json
        let mail = context.mail
        let notice = Task {
            if json { return }
            try await Task.sleep(for: .seconds(1))
            while !mail.hasBeenSending(for: .seconds(1)) { try await Task.sleep(for: .milliseconds(200)) }
            // How long at most, when the transport bounds it (an SMTP server may take ten minutes).
            let minutes = mail.longestSend.map { Int(($0.components.seconds + 59) / 60) }
            try Task.checkCancellation()
            console.warn(
                console.pick(
                    "Menunggu server email menerima email kode"
                        + (minutes.map { " (paling lama \($0) menit)" } ?? "") + "…",
                    "Waiting for the mail server to take the code's e-mail"
                        + (minutes.map { " (at most \($0) minute\($0 == 1 ? "" : "s"))" } ?? "") + "…"))
        }
        // Ended, and waited for, before the answer (or the error) is shown: a notice never follows it.
        let answer: Result<DeliveryStatus, any Error>
        do {
            answer = .success(
                try await context.service.requestCode(
                    for: session.account, by: session.account, language: invocation.language))
        } catch {
            answer = .failure(error)
        }
        notice.cancel()
        _ = await notice.result
        let status = try answer.get()
        try VerificationOutput.show(status, invocation)
        return VerificationOutput.exitStatus(
            afterRequesting: status, misconfigured: context.misconfigurationReported.isSet)
    }

    /// Corrects the address of the account signed in with `identity` (its password is the proof),
    /// then says when a code may be asked for with `requestCommand`.
    static func correctEmail(
        _ invocation: Invocation, as identity: RequiredOption<String>, email option: RequiredOption<EmailAddress>,
        requestCommand: String
    ) async throws -> ExitStatus {
        let console = invocation.console
        let email = try invocation.value(option)
        let context = try await ServiceContext.open(invocation)
        let (session, password) = try await context.loginKeepingPassword(invocation, as: identity)
        let overview = try await context.service.correctEmail(
            to: email, password: password,
            confirmingUnusualDomain: invocation.isSet(CommonOptions.acceptUnusualDomain), by: session.account)
        if invocation.globals.json {
            try console.printJSON(StatusPresentation.json(overview, language: invocation.language))
            return .success
        }
        let next = "dapodik-verify \(requestCommand) --as \(overview.username.value)"
        let status = overview.status
        if overview.isVerified {
            // The address given is the verified one (in another letter case): nothing changed.
            console.say(
                "Email Aktif tetap \(overview.email?.value ?? "-") dan sudah terverifikasi; tidak ada yang diubah.",
                "The active e-mail stays \(overview.email?.value ?? "-") and is verified already; nothing changed.")
        } else if !status.mayRequestNewCode, let allowed = status.newCodeAllowedAt {
            // The account's last code was sent moments ago, or its daily budget is spent.
            console.say(
                "Email Aktif sekarang: \(overview.email?.value ?? "-"). Kode dapat diminta mulai "
                    + "\(status.timeZone.formattedDateTime(notBefore: allowed, language: .indonesian)); "
                    + "saat itu: \(next)",
                "The active e-mail is now: \(overview.email?.value ?? "-"). A code may be asked for from "
                    + "\(status.timeZone.formattedDateTime(notBefore: allowed, language: .english)); "
                    + "then: \(next)")
        } else {
            console.say(
                "Email Aktif sekarang: \(overview.email?.value ?? "-"). Lanjutkan: \(next)",
                "The active e-mail is now: \(overview.email?.value ?? "-"). Go on: \(next)")
        }
        return .success
    }

    /// Submits the code on the command line for the account signed in with `identity`. The
    /// library's words name this program's command to ask for a code (``codeRequestAction``).
    static func submitCode(_ invocation: Invocation, as identity: RequiredOption<String>) async throws -> ExitStatus {
        let context = try await ServiceContext.open(invocation)
        let session = try await context.login(invocation, as: identity)
        var result = try await context.service.submitCode(
            invocation.value(CommonOptions.code), for: session.account, by: session.account)
        switch result.outcome {
        case .expired, .attemptsExhausted, .wrong(attemptsLeft: 0):
            // What may be done next is the policy's answer now, not a fixed "ask for a new code".
            let status = try await context.service.deliveryStatus(for: session.account, by: session.account)
            result.message = VerificationOutput.nextStep(after: result.outcome, status: status)
        case .noCodeIssued, .verified, .alreadyVerified, .wrong, .uncheckable, .replaced:
            break
        }
        return try VerificationOutput.show(result, invocation)
    }
}

/// The output shared by the operator's and the PTK's verification commands.
enum VerificationOutput {
    /// How a request for a code ends: 69 when the mail cannot reach the address (refused for good) or
    /// cannot be sent until the transport is fixed; 0 otherwise, also while a temporary failure is
    /// retried (the request stands and its code is kept: running the command again would ask for
    /// another code, not repeat this one).
    static func exitStatus(afterRequesting status: DeliveryStatus, misconfigured: Bool) -> ExitStatus {
        if misconfigured { return .unavailable }
        if case .failed = status.state { return .unavailable }
        return .success
    }

    static func show(_ status: DeliveryStatus, _ invocation: Invocation) throws {
        let console = invocation.console
        if invocation.globals.json {
            try console.printJSON(StatusPresentation.json(status, language: invocation.language))
        } else {
            for line in StatusPresentation.lines(status, language: invocation.language) { console.data(line) }
        }
    }

    static func show(_ overview: AccountOverview, _ invocation: Invocation) throws {
        let console = invocation.console
        if invocation.globals.json {
            try console.printJSON(StatusPresentation.json(overview, language: invocation.language))
        } else {
            for line in StatusPresentation.lines(overview, language: invocation.language) { console.data(line) }
            console.line()
            for line in StatusPresentation.lines(overview.status, language: invocation.language) { console.data(line) }
        }
    }

    /// What to tell after an expired code, the last wrong code a challenge accepts, or exhausted
    /// attempts, per the policy's current answer: ask for a new code now, from a time, or not without
    /// a person's act (then the status's own explanation, which says why and whose act).
    static func nextStep(after outcome: CodeSubmissionResult.Outcome, status: DeliveryStatus) -> LocalizedText {
        let what =
            switch outcome {
            case .expired:
                LocalizedText(
                    indonesian: "Kode verifikasi sudah kedaluwarsa.", english: "The verification code has expired.")
            case .wrong:
                LocalizedText(
                    indonesian: "Kode verifikasi salah, dan itu percobaan terakhir untuk kode yang sudah dikirim.",
                    english: "The verification code is wrong, and that was the last attempt for the codes sent.")
            case .attemptsExhausted, .verified, .alreadyVerified, .noCodeIssued, .uncheckable, .replaced:
                LocalizedText(indonesian: "Terlalu banyak kode salah.", english: "Too many wrong codes.")
            }
        let next: LocalizedText
        if status.mayRequestNewCode {
            next = LocalizedText(
                indonesian: "Minta kode baru (sisa \(status.codesLeft)).",
                english: "Ask for a new code (\(status.codesLeft) left).")
        } else if let allowed = status.newCodeAllowedAt {
            next = LocalizedText(
                indonesian: "Kode baru dapat diminta mulai "
                    + "\(status.timeZone.formattedDateTime(notBefore: allowed, language: .indonesian)).",
                english: "A new code may be asked for from "
                    + "\(status.timeZone.formattedDateTime(notBefore: allowed, language: .english)).")
        } else {
            // Never, without a person's act: why (an account locked by wrong codes in a row, a limit) and
            // whose act (the school operator, for an operator an administrator) is the library's to say.
            return status.explanation
        }
        return LocalizedText(
            indonesian: what.indonesian + " " + next.indonesian, english: what.english + " " + next.english)
    }

    /// The JSON form of a code submission.
    struct SubmissionJSON: Encodable {
        let outcome: String
        let attemptsLeft: Int?
        let message: String
    }

    /// Shows what a submitted code did.
    /// - Returns: Success for `verified` and `alreadyVerified`; `refused` (1) for everything else.
    static func show(_ result: CodeSubmissionResult, _ invocation: Invocation) throws -> ExitStatus {
        let console = invocation.console
        let (name, attemptsLeft, status): (String, Int?, ExitStatus) =
            switch result.outcome {
            case .verified: ("verified", nil, .success)
            case .alreadyVerified: ("alreadyVerified", nil, .success)
            case .wrong(let left): ("wrong", left, .refused)
            case .expired: ("expired", nil, .refused)
            case .attemptsExhausted: ("attemptsExhausted", 0, .refused)
            case .noCodeIssued: ("noCodeIssued", nil, .refused)
            case .uncheckable: ("uncheckable", nil, .refused)
            case .replaced: ("replaced", nil, .refused)
            }
        if invocation.globals.json {
            try console.printJSON(
                SubmissionJSON(
                    outcome: name, attemptsLeft: attemptsLeft, message: result.message.text(in: console.language)))
        } else {
            console.say(result.message)
        }
        return status
    }
}
