import DapodikVerification
import Foundation
import Synchronization

/// The demo's mail server: delivers into the Maildir like the real CLI, but can be told to be
/// "busy" (SMTP 451) for one particular message, to show a code that arrives late.
final class DemoTransport: MailTransport {
    let name = "demo-maildir"
    private let maildir: MaildirTransport
    private struct State {
        var delayNextMessage = false
        var delayedMessage: MessageID?
    }
    private let state = Mutex(State())

    init(maildir: MaildirTransport) { self.maildir = maildir }

    /// The next message sent fails transiently until ``release()``; other messages pass.
    func delayNextMessage() { state.withLock { $0.delayNextMessage = true } }

    /// The server recovers: the delayed message goes through on its next try.
    func release() { state.withLock { $0.delayedMessage = nil } }

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        let delay = state.withLock { state -> Bool in
            if state.delayNextMessage {
                state.delayNextMessage = false
                state.delayedMessage = message.messageID
            }
            return state.delayedMessage == message.messageID
        }
        if delay {
            throw MailTransportError(
                .deferred, disposition: .transient, transport: name, smtpReplyCode: 451,
                detail: "451 4.3.2 Server sibuk, coba lagi nanti (server busy, try again later)")
        }
        return try await maildir.send(message, envelope: envelope)
    }
}

/// The demo's clock: starts at a fixed morning and moves only when the narration says so.
final class DemoClock: Sendable {
    private let current: Mutex<Date>

    init(start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    func set(_ date: Date) { current.withLock { $0 = max($0, date) } }
}
