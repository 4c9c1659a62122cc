import Testing

@Suite("EmbeddingExample")
struct EmbeddingExampleTests {
    @Test("the embedding example verifies one address through its own transport", .timeLimit(.minutes(10)))
    func runs() async throws {
        let result = try await ExampleProcess.run("EmbeddingExample", [])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("mail to siti.aminah@gmail.com: ") == true)
        #expect(lines.contains { $0.hasPrefix("Code 1 was sent to s•••@gmail.com") })
        #expect(lines.contains("feed: emailVerified siti.aminah@gmail.com"))
        #expect(result.standardError.isEmpty)
    }
}
