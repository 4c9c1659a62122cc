import DapodikVerification
import Foundation

/// `operator request-code|confirm|status`: the operator's own verification (step 2 of the seed).
enum OperatorCommands {
    static let requestCode: Command.Action = OwnVerification.requestCode

    static let confirm: Command.Action = OwnVerification.submitCode

    static let status: Command.Action = OwnVerification.status
}

/// The actions the operator and a PTK share for verifying their own address: the signed-in account
/// asks for a code, submits one (the code is the first positional argument), or shows where it stands.
enum OwnVerification {
    static let status: Command.Action = { invocation in
        let context = try ServiceContext.open(invocation)
        let session = try await context.login(invocation)
        let overview = try await context.service.accountOverview(by: session.account)
        try VerificationOutput.show(overview, invocation)
        return .success
    }

    static let requestCode: Command.Action = { invocation in
        let context = try ServiceContext.open(invocation)
        let session = try await context.login(invocation)
        let status = try await context.service.requestCode(
            for: session.account, by: session.account, language: invocation.language)
        try VerificationOutput.show(status, invocation)
        return .success
    }

    static let submitCode: Command.Action = { invocation in
        let context = try ServiceContext.open(invocation)
        let session = try await context.login(invocation)
        let result = try await context.service.submitCode(
            invocation.arguments.positional(0)!, for: session.account, by: session.account)
        return try VerificationOutput.show(result, invocation)
    }
}

/// The output shared by the operator's and the PTK's verification commands.
enum VerificationOutput {
    static func show(_ status: DeliveryStatus, _ invocation: Invocation) throws {
        let console = invocation.console
        if invocation.globals.json {
            try console.printJSON(StatusPresentation.json(status, language: invocation.language))
        } else {
            for line in StatusPresentation.lines(status, language: invocation.language) { console.line(line) }
        }
    }

    static func show(_ overview: AccountOverview, _ invocation: Invocation) throws {
        let console = invocation.console
        if invocation.globals.json {
            try console.printJSON(StatusPresentation.json(overview, language: invocation.language))
        } else {
            for line in StatusPresentation.lines(overview, language: invocation.language) { console.line(line) }
            console.line()
            for line in StatusPresentation.lines(overview.status, language: invocation.language) { console.line(line) }
        }
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
