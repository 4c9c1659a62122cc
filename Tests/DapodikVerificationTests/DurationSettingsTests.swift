import DapodikVerification
import Foundation
import Testing

/// Every time setting is a `Duration`, and one that would make no sense is clamped, on creation and
/// on every later change, never trapped on.
struct DurationSettingsTests {
    @Test("negative login delays, locks and windows count as zero")
    func loginThrottle() {
        var policy = LoginThrottlePolicy(
            baseDelay: .seconds(-1), maximumDelay: .seconds(-2), lockDuration: .seconds(-3), failureWindow: .seconds(-4)
        )
        #expect(policy.baseDelay == .zero && policy.maximumDelay == .zero)
        #expect(policy.lockDuration == .zero && policy.failureWindow == .zero)
        policy.lockDuration = .seconds(-60)
        #expect(policy.lockDuration == .zero)
        policy.lockDuration = .seconds(90)
        #expect(policy.lockDuration == .seconds(90))
        #expect(LoginThrottlePolicy().lockDuration == .seconds(15 * 60))
    }

    @Test("a locked login waits exactly the lock duration")
    func lockUsesDuration() {
        let policy = LoginThrottlePolicy(lockAfter: 1, lockDuration: .milliseconds(1_500))
        let now = Date(timeIntervalSince1970: 1_782_874_800)
        let (state, locked) = policy.recordingFailure(nil, now: now)
        #expect(locked)
        #expect(state.blockedUntil == now.addingTimeInterval(1.5))
    }

    @Test("negative dispatch delays count as zero and a lease lasts at least a second")
    func dispatchOptions() {
        typealias Options = VerificationService.DispatchOptions
        var options = Options(
            firstRetryDelay: .seconds(-1), maximumRetryDelay: .seconds(-1), misconfiguredRetryDelay: .seconds(-1),
            leaseDuration: .zero)
        #expect(options.firstRetryDelay == .zero && options.maximumRetryDelay == .zero)
        #expect(options.misconfiguredRetryDelay == .zero)
        #expect(options.leaseDuration == Options.minimumLeaseDuration)
        options.leaseDuration = .seconds(-5)
        #expect(options.leaseDuration == .seconds(1))
        options.leaseDuration = .seconds(300)
        #expect(options.leaseDuration == .seconds(300))
        #expect(Options().leaseDuration == .seconds(120))
    }
}
