import BenchmarkReport
import Testing

@Suite("Statistics: throughput and nearest-rank percentiles")
struct StatisticsTests {
    @Test("the percentiles are samples that happened: nearest rank on the sorted samples, in any order given")
    func nearestRank() {
        let samples: [Duration] = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6].map { .microseconds($0) }
        let statistics = Statistics(samples: samples, wallClock: .milliseconds(2))
        #expect(statistics.operations == 10)
        #expect(abs(statistics.p50Microseconds - 5) < 1e-9)
        #expect(abs(statistics.p99Microseconds - 10) < 1e-9)
        #expect(abs(statistics.operationsPerSecond - 5_000) < 1e-9)
        #expect(abs(statistics.seconds - 0.002) < 1e-12)
    }

    @Test("p99 of 100 samples is the 99th, of 1,000 the 990th")
    func ninetyNinth() {
        let hundred = (1...100).map { Duration.microseconds($0) }
        #expect(Statistics.percentile(0.99, of: hundred) == .microseconds(99))
        let thousand = (1...1_000).map { Duration.microseconds($0) }
        #expect(Statistics.percentile(0.99, of: thousand) == .microseconds(990))
        #expect(Statistics.percentile(0.5, of: thousand) == .microseconds(500))
    }

    @Test("one sample is every percentile; no samples and no time give zeros, not a division by zero")
    func edges() {
        let one = Statistics(samples: [.microseconds(42)], wallClock: .seconds(1))
        #expect(abs(one.p50Microseconds - 42) < 1e-9 && abs(one.p99Microseconds - 42) < 1e-9)
        #expect(Statistics.percentile(0, of: [.microseconds(3), .microseconds(4)]) == .microseconds(3))
        let none = Statistics(samples: [], wallClock: .zero)
        #expect(none.operations == 0 && none.operationsPerSecond == 0)
        #expect(none.p50Microseconds == 0 && none.p99Microseconds == 0)
    }

    @Test("Duration.seconds keeps the attoseconds")
    func seconds() {
        #expect(Duration.milliseconds(1_500).seconds == 1.5)
        #expect(abs(Duration.nanoseconds(1).seconds - 1e-9) < 1e-21)
    }
}
