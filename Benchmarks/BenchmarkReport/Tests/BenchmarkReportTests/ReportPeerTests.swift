import BenchmarkReport
import Testing

@Suite("Report: the goals against a peer (SQLite, OpenSSL) and at national scale")
struct ReportPeerTests {
    @Test("durable cycle: ratio to the best SQLite inside each round, the median of those against 1× and 4×")
    func durable() throws {
        var results: [BenchmarkResult] = []
        // 8 clients, per round: the file store, and SQLite two ways (the better one counts).
        let rounds: [(file: Double, connections: Double, shared: Double)] = [
            (10_000, 2_000, 2_500), (9_000, 3_000, 1_000), (12_000, 2_000, 2_000),
        ]
        for (index, round) in rounds.enumerated() {
            results += [
                Make.result("cycle.durable", "8 clients", "FileRecordStore", round: index + 1, rate: round.file),
                Make.result(
                    "cycle.durable", "8 clients", "SQLite 3 (8 connections)", round: index + 1, rate: round.connections),
                Make.result(
                    "cycle.durable", "8 clients", "SQLite 3 (shared writer)", round: index + 1, rate: round.shared),
                Make.result("cycle.durable", "1 client", "FileRecordStore", round: index + 1, rate: 900),
                Make.result("cycle.durable", "1 client", "SQLite 3 (1 connection)", round: index + 1, rate: 1_000),
            ]
        }
        let report = Report(results: results)
        // Rounds: 10,000 / 2,500 = 4.00, 9,000 / 3,000 = 3.00, 12,000 / 2,000 = 6.00; median 4.00.
        let eight = try #require(report.row(startingWith: "Durable cycle, 8 clients"))
        #expect(eight[3] == "4.00× (rounds: 4.00, 3.00, 6.00)")
        #expect(eight[4] == "≥ 4× SQLite" && eight[5] == "met")
        let one = try #require(report.row(startingWith: "Durable cycle, 1 client"))
        #expect(one[3] == "0.90× (rounds: 0.90, 0.90, 0.90)" && one[5] == "**missed**")
        // No flush probe in these results: no row for it.
        #expect(report.row(startingWith: "Disk: the flush in each round") == nil)
    }

    @Test("the disk's flush of each round is listed in round order, beside the durable cycle's rounds")
    func flushOfEachRound() throws {
        var results: [BenchmarkResult] = []
        // Rounds out of order, and an append probe that must not be listed.
        for (round, p50) in [(2, 412.4), (1, 180.6), (3, 95.0)] {
            var probe = Make.result("fsync", Report.flushProbeVariant, "disk", round: round, rate: 5_000)
            probe.statistics?.p50Microseconds = p50
            var append = Make.result("fsync", "4 KiB append + fsync", "disk", round: round, rate: 2_000)
            append.statistics?.p50Microseconds = 999
            results += [append, probe]
        }
        let row = try #require(Report(results: results).row(startingWith: "Disk: the flush in each round"))
        #expect(row[1] == "181 µs, 412 µs, 95 µs")
        // One round only: nothing to read rounds against.
        let single = Report(results: results.filter { $0.round == 1 })
        #expect(single.row(startingWith: "Disk: the flush in each round") == nil)
    }

    @Test(
        "HMAC: a key set once is held to `openssl speed` (1.5×), a key per message to Python's hmac (2×), by CPU time")
    func hmacPairing() throws {
        let variant = "HMAC-SHA256, 64-byte message"
        let results = [
            Make.crypto("crypto.hmac", variant, "DapodikCrypto, hardware, key set once", cpuMicroseconds: 0.3),
            Make.crypto("crypto.hmac", variant, "DapodikCrypto, hardware, keyed per message", cpuMicroseconds: 0.5),
            Make.crypto("crypto.hmac", variant, "OpenSSL 3 (openssl speed, C)", cpuMicroseconds: 0.2),
            Make.crypto("crypto.hmac", variant, "OpenSSL 3 (Python hashlib/hmac)", cpuMicroseconds: 2),
        ]
        let rows = Report(results: results).rows(startingWith: variant)
        #expect(rows.count == 2)
        let once = try #require(rows.first { $0[0].hasSuffix("key set once") })
        #expect(once[2].hasPrefix("OpenSSL 3 (openssl speed, C)"))
        #expect(
            once[3] == "1.50× OpenSSL's CPU time per operation" && once[4] == "≤ 1.50× OpenSSL's time"
                && once[5] == "met")
        let perMessage = try #require(rows.first { $0[0].hasSuffix("keyed per message") })
        #expect(perMessage[2].hasPrefix("OpenSSL 3 (Python hashlib/hmac)"))
        #expect(perMessage[3].hasPrefix("0.25×") && perMessage[4] == "≤ 2× OpenSSL's time" && perMessage[5] == "met")
    }

    @Test("PBKDF2 against 1.1×; the pure-Swift fallback is shown without a verdict where SHA instructions exist")
    func pbkdf2() throws {
        let variant = "PBKDF2-HMAC-SHA256, 600,000 iterations"
        let results = [
            Make.crypto("crypto.pbkdf2", variant, "DapodikCrypto, hardware (x86-64 SHA-NI)", cpuMicroseconds: 120_000),
            Make.crypto("crypto.pbkdf2", variant, "DapodikCrypto, pure Swift", cpuMicroseconds: 300_000),
            Make.crypto("crypto.pbkdf2", variant, "OpenSSL 3 (Python hashlib/hmac)", cpuMicroseconds: 100_000),
        ]
        let rows = Report(results: results).rows(startingWith: variant)
        let hardware = try #require(rows.first { $0[0].contains("hardware") })
        #expect(hardware[3].hasPrefix("1.20×") && hardware[5] == "**missed**")
        let fallback = try #require(rows.first { $0[0].contains("pure Swift") })
        #expect(fallback[4] == "(fallback where the CPU lacks SHA instructions)")
    }

    @Test("without CPU times on both sides, the crypto ratio falls back to the median times")
    func wallClockFallback() throws {
        let variant = "HMAC-SHA256, 64-byte message"
        var ours = Make.result(
            "crypto.hmac", variant, "DapodikCrypto, pure Swift, keyed per message", round: 1, rate: 1)
        ours.statistics?.p50Microseconds = 3
        var peer = Make.result("crypto.hmac", variant, "OpenSSL 3 (Python hashlib/hmac)", round: 1, rate: 1)
        peer.statistics?.p50Microseconds = 2
        let row = try #require(Report(results: [ours, peer]).row(startingWith: variant))
        #expect(row[3] == "1.50× OpenSSL's median time")
        #expect(row[5] == "met")
    }

    @Test("national scale: the bulk load against SQLite's time, the open under 3 s, memory under 1.5 GiB")
    func scale() throws {
        let results = [
            Make.figures(
                "scale.load", "bulk load", "FileRecordStore", round: 1,
                ["seconds": 60, "diskMiB": 900, "accounts": 3_500_000]),
            Make.figures("scale.load", "bulk load", "SQLite 3", round: 1, ["seconds": 75, "diskMiB": 1_200]),
            Make.figures(
                "scale.open", "cold", "FileRecordStore", round: 1,
                ["seconds": 3.5, "vmHWMMiB": 1_600, "vmRSSMiB": 1_500]),
            Make.figures(
                "scale.open", "warm", "FileRecordStore", round: 1, ["seconds": 0.9, "vmHWMMiB": 700, "vmRSSMiB": 650]),
        ]
        let report = Report(results: results)
        let label = "3,500,000 accounts (FileRecordStore)"
        let load = try #require(report.row(startingWith: "\(label): bulk load"))
        #expect(load[3] == "0.80× SQLite's time" && load[5] == "met")
        #expect(report.row(startingWith: "\(label): open (cold)")?[5] == "**missed**")
        #expect(report.row(startingWith: "\(label): open (warm)")?[5] == "met")
        #expect(report.row(startingWith: "\(label): resident memory after open (cold)")?[5] == "**missed**")
        #expect(report.row(startingWith: "\(label): resident memory after open (warm)")?[5] == "met")
        #expect(
            report.rows(startingWith: "national scale (SQLite").isEmpty, "SQLite is the peer, not a store of its own")
    }
}
