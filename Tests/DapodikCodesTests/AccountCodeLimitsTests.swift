import Foundation
import Testing

@testable import DapodikCodes

struct AccountCodeLimitsTests {
    let limits = AccountCodeLimits()

    /// The history after `count` wrong codes one minute apart from `start`, every fifth exhausting
    /// its challenge.
    func history(wrongCodes count: Int) -> AccountCodeLimits.History {
        var history: AccountCodeLimits.History?
        for index in 0..<count {
            history = limits.recordingWrongCode(
                history, at: start.plus(Double(index) * minute), exhaustedChallenge: (index + 1) % 5 == 0)
        }
        return history ?? AccountCodeLimits.History()
    }

    @Test("the wait before a new challenge doubles after each exhausted challenge, at most 24 hours")
    func growingWait() {
        var history: AccountCodeLimits.History?
        var waits: [TimeInterval] = []
        var time = start
        for _ in 0..<7 {
            history = limits.recordingWrongCode(history, at: time, exhaustedChallenge: true)
            let retryAt = limits.newChallengeBlock(history, at: time)?.retryAt
            waits.append(retryAt.map { $0.timeIntervalSince(time) } ?? 0)
            time = time.plus(25 * hour)  // past the daily window each time
        }
        #expect(waits == [1, 2, 4, 8, 16, 24, 24].map { $0 * hour })
    }

    @Test("the 15th wrong code in 24 hours blocks submissions until the first is a day old")
    func dailyBound() {
        let history = history(wrongCodes: 15)
        #expect(limits.submissionBlock(self.history(wrongCodes: 14), at: start.plus(14 * minute)) == nil)
        #expect(limits.submissionBlock(history, at: start.plus(15 * minute)) == .until(start.plus(24 * hour)))
        #expect(limits.submissionBlock(history, at: start.plus(24 * hour)) == nil)
        #expect(history.recentWrongCodes.count == 15)
    }

    @Test("30 wrong codes in a row block everything until an unlock, however long one waits")
    func lifetimeBound() {
        let history = history(wrongCodes: 30)
        let later = start.plus(10 * 365 * 24 * hour)
        #expect(limits.submissionBlock(history, at: later) == .untilUnlocked)
        #expect(limits.newChallengeBlock(history, at: later)?.retryAt == nil)
        #expect(limits.newChallengeBlock(history, at: later) != nil)
    }

    @Test("the wrong codes left are the smaller of the day's and the run's, 0 exactly when submissions are blocked")
    func wrongCodesLeft() {
        #expect(limits.wrongCodesLeft(nil, at: start) == 15)
        #expect(limits.wrongCodesLeft(history(wrongCodes: 14), at: start.plus(14 * minute)) == 1)
        #expect(limits.wrongCodesLeft(history(wrongCodes: 15), at: start.plus(15 * minute)) == 0)
        // The first wrong code leaves the day's window: one more may be tried.
        #expect(limits.wrongCodesLeft(history(wrongCodes: 15), at: start.plus(24 * hour)) == 1)
        // Two hours apart, the day holds 12 but the run of 29 leaves one.
        var spread: AccountCodeLimits.History?
        for index in 0..<29 {
            spread = limits.recordingWrongCode(
                spread, at: start.plus(Double(index) * 2 * hour), exhaustedChallenge: false)
        }
        let afterSpread = start.plus(28 * 2 * hour + minute)
        #expect(limits.wrongCodesLeft(spread, at: afterSpread) == 1)
        // An unlock lifts the run's bound, never the day's.
        #expect(limits.wrongCodesLeft(limits.unlocking(history(wrongCodes: 30)), at: start.plus(30 * minute)) == 0)
        for count in 0...31 {
            for elapsed in [0, 12 * hour, 24 * hour, 48 * hour] {
                let history = history(wrongCodes: count)
                let now = start.plus(Double(count) * minute + elapsed)
                #expect(
                    (limits.wrongCodesLeft(history, at: now) == 0) == (limits.submissionBlock(history, at: now) != nil),
                    "\(count) wrong codes, \(elapsed / hour) h later")
            }
        }
    }

    @Test("a stored history with an extreme count is refused as damaged")
    func boundedDecoding() throws {
        for count in [-1, Int.max] {
            let json = #"{"recentWrongCodes":[],"consecutiveWrongCodes":\#(count),"consecutiveExhaustions":0}"#
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(AccountCodeLimits.History.self, from: Data(json.utf8))
            }
        }
    }
}

/// Settings changed after creation are clamped like those passed to the initializer.
struct AccountCodeLimitsSettingTests {
    @Test("a negative wait or a count below 1 set later is clamped as at creation")
    func clampedWhenSet() {
        var limits = AccountCodeLimits()
        limits.firstWaitAfterExhaustion = .seconds(-1)
        limits.maximumWaitAfterExhaustion = .seconds(-1)
        limits.maximumWrongCodesPerDay = 0
        limits.maximumConsecutiveWrongCodes = -3
        #expect(limits.firstWaitAfterExhaustion == .zero && limits.maximumWaitAfterExhaustion == .zero)
        #expect(limits.maximumWrongCodesPerDay == 1 && limits.maximumConsecutiveWrongCodes == 1)
    }
}
