import BenchmarkReport
import Testing

@Suite("Two processes' timed parts: how much they overlapped")
struct TimedPartOverlapTests {
    @Test("the same window overlaps wholly; one starting a tenth later overlaps 90 %, the least counted")
    func shares() throws {
        let same = [Make.pairedProcess(round: 1, rate: 1, end: 100), Make.pairedProcess(round: 1, rate: 1, end: 100)]
        #expect(TimedPartOverlap.overlap(of: same) == 1)
        let later = [
            Make.pairedProcess(round: 1, rate: 1, end: 100, seconds: 1),
            Make.pairedProcess(round: 1, rate: 1, end: 100.1, seconds: 1),
        ]
        let share = try #require(TimedPartOverlap.overlap(of: later))
        #expect(abs(share - 0.9) < 1e-9)
        #expect(TimedPartOverlap.least == 0.9)
    }

    @Test("the share is of the longest part: a short part inside a long one overlaps by its own length only")
    func ofTheLongest() throws {
        let runs = [
            Make.pairedProcess(round: 1, rate: 1, end: 100, seconds: 1),
            Make.pairedProcess(round: 1, rate: 1, end: 99.9, seconds: 0.5),
        ]
        let share = try #require(TimedPartOverlap.overlap(of: runs))
        #expect(abs(share - 0.5) < 1e-9)
    }

    @Test("parts that never met overlap 0, not a negative share")
    func disjoint() {
        let runs = [
            Make.pairedProcess(round: 1, rate: 1, end: 100, seconds: 1),
            Make.pairedProcess(round: 1, rate: 1, end: 105, seconds: 1),
        ]
        #expect(TimedPartOverlap.overlap(of: runs) == 0)
    }

    @Test("a run without its end time, with one that is not a number, or without statistics has no overlap")
    func unknown() {
        let good = Make.pairedProcess(round: 1, rate: 1, end: 100)
        var missing = good
        missing.notes = [:]
        #expect(TimedPartOverlap.overlap(of: [good, missing]) == nil)
        for text in ["", "soon", "nan", "inf"] {
            var garbled = good
            garbled.notes = [TimedPartOverlap.measuredUntilNote: text]
            #expect(TimedPartOverlap.overlap(of: [good, garbled]) == nil, "\(text)")
        }
        var untimed = good
        untimed.statistics = nil
        #expect(TimedPartOverlap.overlap(of: [good, untimed]) == nil)
        #expect(TimedPartOverlap.overlap(of: []) == nil)
    }
}
