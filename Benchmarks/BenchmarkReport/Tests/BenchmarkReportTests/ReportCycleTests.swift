import BenchmarkReport
import Testing

@Suite("Report: the in-memory cycle's goals (issue 15)")
struct ReportCycleTests {
    private let oneClientRow = "Verification cycle in memory, 1 client: \(Make.service)"
    private let eightClientsRow = "Verification cycle in memory, 8 clients: \(Make.service)"
    private let pairRow = "Verification cycle in memory, two processes of 1 client at once"

    @Test("1 client: the median over the rounds against 20,000/s, met at exactly 20,000 and missed below")
    func oneClient() throws {
        let met = Report(
            results: [19_000, 21_000, 22_000].enumerated().map { Make.cycle(clients: 1, round: $0 + 1, rate: $1) })
        let metRow = try #require(met.row(startingWith: oneClientRow))
        #expect(metRow[1].hasPrefix("21,000 ops/s"))
        #expect(metRow[4] == "≥ 20,000/s" && metRow[5] == "met")
        // An even number of rounds: the mean of the middle two.
        let exactly = Report(
            results: [19_000, 21_000].enumerated().map { Make.cycle(clients: 1, round: $0 + 1, rate: $1) })
        #expect(exactly.row(startingWith: oneClientRow)?[5] == "met")
        let missed = Report(
            results: [19_999, 30_000, 1_000].enumerated().map { Make.cycle(clients: 1, round: $0 + 1, rate: $1) })
        #expect(missed.row(startingWith: oneClientRow)?[5] == "**missed**")
    }

    @Test("1 client: beside the goal, how many times its store calls' time the cycle takes, round by round")
    func oneClientAgainstItsStoreCalls() throws {
        var results: [BenchmarkResult] = []
        // Ratios 4.0, 5.0 and 6.0; a fourth round without the replay has none.
        for (index, (service, calls)) in [(5_000.0, 20_000.0), (4_000, 20_000), (3_000, 18_000)].enumerated() {
            results += [
                Make.cycle(clients: 1, round: index + 1, rate: service),
                Make.result(
                    "cycle.memory", "1 client", Report.serviceStoreCallsSubject, round: index + 1, rate: calls),
            ]
        }
        results.append(Make.cycle(clients: 1, round: 4, rate: 4_000))
        let row = try #require(Report(results: results).row(startingWith: oneClientRow))
        #expect(row[4] == "≥ 20,000/s (5.00× the time of its store calls alone (rounds: 4.00, 5.00, 6.00))")
        #expect(row[5] == "**missed**")
        let replayRow = try #require(
            Report(results: results).row(
                startingWith: "Verification cycle in memory, 1 client: \(Report.serviceStoreCallsSubject)"))
        #expect(replayRow[4] == "(no goal)")
    }

    @Test("8 clients: the verdict is on the medians' ratio, the rounds' own ratios listed beside it")
    func eightClients() throws {
        // Round ratios 2.0, 1.0, 1.8: their median (1.8) would pass; the medians' ratio (17,000 / 10,000) decides.
        let rounds: [(Double, Double)] = [(10_000, 20_000), (17_000, 17_000), (5_000, 9_000)]
        var results: [BenchmarkResult] = []
        for (index, (one, eight)) in rounds.enumerated() {
            results += [
                Make.cycle(clients: 1, round: index + 1, rate: one),
                Make.cycle(clients: 8, round: index + 1, rate: eight),
            ]
        }
        let row = try #require(Report(results: results).row(startingWith: eightClientsRow))
        #expect(row[4].hasPrefix("≥ 1.7× 1 client (1.70× of the medians (rounds: 2.00, 1.00, 1.80)"))
        #expect(row[5] == "met")
        results[3] = Make.cycle(clients: 8, round: 2, rate: 16_990)
        #expect(Report(results: results).row(startingWith: eightClientsRow)?[5] == "**missed**")
    }

    @Test("two processes: added up only where both reported and overlapped 90 %; the rounds left out are counted")
    func twoProcesses() throws {
        var results: [BenchmarkResult] = []
        for round in 1...4 {
            results += [
                Make.cycle(clients: 1, round: round, rate: 10_000), Make.cycle(clients: 8, round: round, rate: 16_000),
            ]
        }
        // Round 1: both, the same window. Round 2: one process only. Round 3: 80 % overlap. Round 4: 95 %.
        results += [
            Make.pairedProcess(round: 1, rate: 9_000, end: 10), Make.pairedProcess(round: 1, rate: 11_000, end: 10),
        ]
        results += [Make.pairedProcess(round: 2, rate: 50_000, end: 20)]
        results += [
            Make.pairedProcess(round: 3, rate: 40_000, end: 30, seconds: 1),
            Make.pairedProcess(round: 3, rate: 40_000, end: 30.2, seconds: 1),
        ]
        results += [
            Make.pairedProcess(round: 4, rate: 10_000, end: 40, seconds: 1),
            Make.pairedProcess(round: 4, rate: 15_000, end: 40.05, seconds: 1),
        ]
        let report = Report(results: results)
        let pair = try #require(report.row(startingWith: pairRow))
        #expect(
            pair[0].contains(
                "(2 of 4 rounds left out: a process missing, or the timed parts overlapping less than 90 %)"))
        // Rounds 1 and 4: 20,000 and 25,000 together; 2.00× and 2.50× of their rounds' 1 client.
        #expect(pair[1] == "22,500 ops/s together")
        #expect(pair[3] == "2.25× 1 client (rounds: 2.00, 2.50)")
        let eight = try #require(report.row(startingWith: eightClientsRow))
        #expect(eight[4].contains("; 0.72× of two processes at once (rounds: 0.80, 0.64)"))
    }

    @Test("with no round to count, the two-process row says so instead of a zero")
    func noPairCounted() throws {
        let results = [
            Make.cycle(clients: 1, round: 1, rate: 10_000), Make.cycle(clients: 8, round: 1, rate: 15_000),
            Make.pairedProcess(round: 1, rate: 9_000, end: 10),
        ]
        let report = Report(results: results)
        let pair = try #require(report.row(startingWith: pairRow))
        #expect(pair[1] == "no round to count" && pair[3] == "–")
        #expect(pair[0].contains("(1 of 1 rounds left out"))
        #expect(report.row(startingWith: eightClientsRow)?[4].contains("two processes") == false)
    }

    @Test("the two processes are not reported as a variant of their own in the goals' rows")
    func pairNotAVariant() {
        let results = [
            Make.cycle(clients: 1, round: 1, rate: 10_000), Make.pairedProcess(round: 1, rate: 9_000, end: 10),
            Make.pairedProcess(round: 1, rate: 9_000, end: 10),
        ]
        #expect(
            Report(results: results).rows(startingWith: "Verification cycle in memory, 1 client, 2 processes").isEmpty)
    }
}
