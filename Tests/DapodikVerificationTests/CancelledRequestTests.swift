import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// A caller that gives up (a web request whose visitor left, a task cancelled) after the code was
/// committed does not stop its e-mail: the send right away runs to its end, through a real
/// `sendmail` program that the transport would end if its task were cancelled.
@Suite(.timeLimit(.minutes(5)))
struct CancelledRequestTests {
    /// A harness whose sibling service sends through a `sendmail` script that keeps what it read.
    struct SlowSendmail {
        let harness: Harness
        /// The service sending through the script.
        let service: VerificationService
        let scratch: TemporaryDirectory
        /// Where the script writes the message it was handed.
        let received: URL

        static func make() throws -> SlowSendmail {
            let harness = try Harness.make(.memory)
            let scratch = try TemporaryDirectory("cancelled-request")
            let received = scratch.appending("received.eml")
            let script = scratch.appending("sendmail")
            // Slow enough that a cancelled task's transport would end it first, then keeps what it read.
            try Data("#!/bin/sh\nsleep 0.3\ncat > '\(received.path)'\nexit 0\n".utf8).write(to: script)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            let service = harness.sibling {
                $0.transport = SendmailTransport(executablePath: script.path, now: { harness.clock.now })
            }
            return SlowSendmail(harness: harness, service: service, scratch: scratch, received: received)
        }

        /// Runs `work` in a task cancelled before it starts, as a request whose visitor has left.
        static func inCancelledTask<Value: Sendable>(
            _ work: @escaping @Sendable () async throws -> Value
        ) async throws -> Value {
            let task = Task {
                while !Task.isCancelled { await Task.yield() }
                return try await work()
            }
            task.cancel()
            return try await task.value
        }

        /// The message the script was handed: it must have been.
        func handedOver() throws -> String { try String(contentsOf: received, encoding: .utf8) }
    }

    @Test("a code requested in a cancelled task is still handed to sendmail, and the status says so")
    func cancelledCallerStillSends() async throws {
        let fixture = try SlowSendmail.make()
        let account = try await fixture.harness.createSchool()
        let service = fixture.service
        let status = try await SlowSendmail.inCancelledTask {
            try await service.requestCode(for: account.id, by: account.id)
        }
        guard case .handedOver = status.state else {
            Issue.record("expected handedOver, got \(status.state): \(status.explanation.english)")
            return
        }
        let mail = try fixture.handedOver()
        #expect(mail.contains("Subject:"), "\(mail.prefix(200))")
    }

    @Test("a notice queued by an address change in a cancelled task is still handed to sendmail")
    func cancelledCallerStillSendsNotice() async throws {
        let fixture = try SlowSendmail.make()
        let harness = fixture.harness
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        #expect(try await harness.service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .verified)
        let service = fixture.service
        _ = try await SlowSendmail.inCancelledTask {
            try await service.updateStaff(ptk.id, email: try EmailAddress("santoso.baru@gmail.com"), by: manager.id)
        }
        let mail = try fixture.handedOver()
        #expect(mail.contains("Subject:"), "\(mail.prefix(200))")
    }
}
