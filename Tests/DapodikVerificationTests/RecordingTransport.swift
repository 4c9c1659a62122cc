import DapodikLocking
import DapodikVerification
import Foundation

/// A transport for the dispatcher tests: records every send with its Message-ID, announces each
/// one on ``sends``, yields while sending (so concurrent dispatchers interleave), and can hold a
/// send until ``release()`` to play a dispatcher that hangs or crashes mid-send.
final class RecordingTransport: MailTransport {
    let name = "recording"
    private let now: @Sendable () -> Date
    private let state = LockedValue(State())
    /// Every send, as the Message-ID it carried, in order.
    let sends: AsyncStream<String>
    private let sendsContinuation: AsyncStream<String>.Continuation

    private struct State {
        var messages: [RenderedMessage] = []
        var holdNext = false
        var held: CheckedContinuation<Void, Never>?
        var releasedEarly = false
    }

    init(now: @escaping @Sendable () -> Date) {
        self.now = now
        (sends, sendsContinuation) = AsyncStream.makeStream(of: String.self)
    }

    /// Every message handed over, in order.
    var messages: [RenderedMessage] { state.withLock { $0.messages } }

    /// How many sends carried each Message-ID.
    var sendsPerMessageID: [String: Int] {
        messages.reduce(into: [:]) { $0[$1.messageID.description, default: 0] += 1 }
    }

    /// Makes the next send wait inside the transport until ``release()``.
    func holdNextSend() { state.withLock { $0.holdNext = true } }

    /// Lets a held send finish (successfully).
    func release() {
        let held = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state.held = nil }
            if state.held == nil { state.releasedEarly = true }
            return state.held
        }
        held?.resume()
    }

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        let hold = state.withLock { state in
            defer { state.holdNext = false }
            return state.holdNext
        }
        sendsContinuation.yield(message.messageID.description)
        if hold {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.releasedEarly { return true }
                    state.held = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } else {
            await Task.yield()
        }
        state.withLock { $0.messages.append(message) }
        return DeliveryReceipt(transport: name, handedOverAt: now(), messageID: message.messageID, response: "250 ok")
    }
}
