import Foundation
import Testing

/// `feed` without `--json` writes one event per line as five tab-separated columns, empty where an
/// event has no value, so a script can cut the columns without knowing which events carry an address.
@Suite("feed's text output")
struct FeedTextOutputTests {
    @Test(
        "every event has five columns; an event without an address leaves the address empty", .timeLimit(.minutes(10)))
    func fiveColumns() async throws {
        let school = try await CommandFlowTests.School.created()
        let password = CommandFlowTests.operatorPassword + "\n"
        let requested = try await school.run(["operator", "request-code", "--as", "siti"], input: password)
        #expect(requested.status == 0, "\(requested.standardError)")
        let mailed = try await school.run(["mailbox", "code", "--to", "siti.aminah@gmail.com"])
        let code = mailed.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let wrongCode = code == "000000" ? "111111" : "000000"
        let rejected = try await school.run(["operator", "confirm", "--as", "siti", wrongCode], input: password)
        #expect(rejected.status == 1, "\(rejected.standardError)")
        let confirmed = try await school.run(["operator", "confirm", "--as", "siti", code], input: password)
        #expect(confirmed.status == 0, "\(confirmed.standardError)")

        let feed = try await school.run(["feed"])
        #expect(feed.status == 0, "\(feed.standardError)")
        let rows = feed.standardOutput.split(separator: "\n").dropLast().map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(!rows.isEmpty)
        for row in rows { #expect(row.count == 5, "\(row)") }
        let created = try #require(rows.first { $0.count == 5 && $0[2] == "schoolCreated" })
        #expect(created[3] == "siti.aminah@gmail.com" && created[4] == "operator siti", "\(created)")
        let verified = try #require(rows.first { $0.count == 5 && $0[2] == "emailVerified" })
        #expect(verified[3] == "siti.aminah@gmail.com", "\(verified)")
        let rejectedRow = try #require(rows.first { $0.count >= 4 && $0[2] == "codeRejected" })
        #expect(rejectedRow.count == 5 && rejectedRow[3].isEmpty, "\(rejectedRow)")
        #expect(rejectedRow.last == "wrong code, 4 attempts left", "\(rejectedRow)")
        #expect(feed.standardOutput.split(separator: "\n").last?.hasPrefix("Kursor berikutnya: ") == true)
    }
}
