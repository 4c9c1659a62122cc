import DapodikTestSupport
import Foundation
import Testing

struct ChildProcessTests {
    @Test("a child reads its input and both of its outputs come back, with its exit status")
    func outputsAndStatus() throws {
        let result = try ChildProcess.run(
            "/bin/sh", ["-c", "cat; echo oops >&2; exit 7"], input: "eins\nzwei\n")
        #expect(result.status == 7)
        #expect(result.standardOutput == "eins\nzwei\n")
        #expect(result.standardError == "oops\n")
    }

    @Test("a child that writes more than a pipe holds does not block", .timeLimit(.minutes(10)))
    func largeOutput() async throws {
        let result = try await ChildProcess.run("/bin/sh", ["-c", "yes a | head -c 1000000 >&2"])
        #expect(result.status == 0)
        #expect(result.standardError.utf8.count == 1_000_000)
    }

    @Test("a child still running at its time limit is killed and reported", .timeLimit(.minutes(10)))
    func killedAtTimeLimit() throws {
        let error = #expect(throws: ChildProcess.TimedOut.self) {
            try ChildProcess.run("/bin/sh", ["-c", "echo started >&2; exec sleep 600"], timeout: .seconds(1))
        }
        #expect(error?.standardError == "started\n")
        #expect(error?.description.contains("sleep 600") == true)
    }

    @Test("the environment and the working directory are the ones given")
    func environmentAndDirectory() throws {
        let directory = try TemporaryDirectory("self-test")
        let result = try ChildProcess.run(
            "/bin/sh", ["-c", "echo \"$GREETING\"; pwd -P"], environment: ["GREETING": "halo"], in: directory.url)
        #expect(result.standardOutput == "halo\n\(directory.url.resolvingSymlinksInPath().path)\n")
    }
}
