import DapodikTestSupport
import Foundation
import Testing

/// Where a real program's random bytes come from (issue 15), seen from outside with strace: the
/// package's UUIDs, salts and MIME boundaries are single `getrandom(2)` requests with no flags
/// (the kernel's CSPRNG), and Foundation's `UUID()`, which opens `/dev/urandom` each time, is gone.
@Suite("Randomness system calls")
struct RandomnessSystemCallTests {
    @Test(
        "the embedding example draws its random bytes with getrandom(2) in one request each, never from /dev/urandom",
        .requires(.strace), .timeLimit(.minutes(10)))
    func kernelRequests() async throws {
        let scratch = try TemporaryDirectory("strace")
        let log = scratch.url.appendingPathComponent("trace").path
        let example = ExampleProcess.productsDirectory.appendingPathComponent("EmbeddingExample").path
        let run = try await ChildProcess.run(
            "strace", ["-f", "-qq", "-e", "trace=open,openat,getrandom", "-o", log, example], in: scratch.url,
            timeout: .seconds(110))
        #expect(run.status == 0, "\(run.standardError)")
        let calls = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(!calls.contains { $0.contains("urandom") || $0.contains("/dev/random") })
        let requests = calls.filter { $0.contains("getrandom(") }
        // One school, its operator and one verification: the accounts, the challenge, the outbox
        // message and the events are UUIDs, the password salt and the boundary 16 bytes, each one
        // request of 16 (before issue 15: none, every request was 8 bytes); the code key's 32 bytes
        // are one request too.
        #expect(requests.filter { $0.hasSuffix(", 16, 0) = 16") }.count >= 8, "\(requests)")
        #expect(requests.contains { $0.hasSuffix(", 32, 0) = 32") }, "\(requests)")
    }
}
