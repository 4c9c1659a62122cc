import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// A caller that gives up (a web request whose visitor left, a task cancelled) after the code was
/// committed does not stop its e-mail: the send right away runs to its end, through a real
/// `sendmail` program that the transport would end if its task were cancelled.
@Suite(.timeLimit(.minutes(5)))
struct CancelledRequestTests {
    @Test("a code requested in a cancelled task is still handed to sendmail, and the status says so")
    func cancelledCallerStillSends() async throws {
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
        let account = try await harness.createSchool()
        let request = Task {
            // Waits until it is cancelled, then asks, as a request whose visitor has left would.
            while !Task.isCancelled { await Task.yield() }
            return try await service.requestCode(for: account.id, by: account.id)
        }
        request.cancel()
        let status = try await request.value
        guard case .handedOver = status.state else {
            Issue.record("expected handedOver, got \(status.state): \(status.explanation.english)")
            return
        }
        let mail = try String(contentsOf: received, encoding: .utf8)
        #expect(mail.contains("Subject:"), "\(mail.prefix(200))")
    }

    @Test("a notice queued by an address change in a cancelled task is still handed to sendmail")
    func cancelledCallerStillSendsNotice() async throws {
        let harness = try Harness.make(.memory)
        let scratch = try TemporaryDirectory("cancelled-notice")
        let received = scratch.appending("received.eml")
        let script = scratch.appending("sendmail")
        try Data("#!/bin/sh\nsleep 0.3\ncat > '\(received.path)'\nexit 0\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let service = harness.sibling {
            $0.transport = SendmailTransport(executablePath: script.path, now: { harness.clock.now })
        }
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        #expect(try await harness.service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .verified)
        let change = Task {
            while !Task.isCancelled { await Task.yield() }
            return try await service.updateStaff(
                ptk.id, email: try EmailAddress("santoso.baru@gmail.com"), by: manager.id)
        }
        change.cancel()
        _ = try await change.value
        let mail = try String(contentsOf: received, encoding: .utf8)
        #expect(mail.contains("Subject:"), "\(mail.prefix(200))")
    }
}
