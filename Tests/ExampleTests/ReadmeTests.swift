import Foundation
import Testing

/// The README and the getting-started guide show the embedding example's core; these tests keep the
/// copies equal to the program that is built and run, so the code a reader copies compiles.
@Suite("documentation code samples")
struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The lines of the first ```swift block after `heading`.
    static func sample(in file: String, after heading: String) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        let afterHeading = try #require(text.range(of: heading)).upperBound
        let start = try #require(text.range(of: "```swift\n", range: afterHeading..<text.endIndex)).upperBound
        let end = try #require(text.range(of: "\n```", range: start..<text.endIndex)).lowerBound
        return text[start..<end].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test(
        "every line of a documented sample appears in the embedding example",
        arguments: [
            ("README.md", "## In code"), ("Documentation/GettingStarted.md", "## The smallest program"),
        ])
    func samplesMatchTheExample(file: String, heading: String) throws {
        let example = try String(
            contentsOf: Self.root.appendingPathComponent("Examples/EmbeddingExample/main.swift"), encoding: .utf8)
        let exampleLines = Set(example.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        let lines = try Self.sample(in: file, after: heading)
        #expect(lines.count >= 10)
        for line in lines where !line.isEmpty {
            // A trailing comment may differ (the README explains what the example spells out).
            let code = line.components(separatedBy: "  //").first!.trimmingCharacters(in: .whitespaces)
            #expect(exampleLines.contains { $0.hasPrefix(code) }, "\(file): not in the example: \(line)")
        }
    }

    @Test("the README's two commands are the ones the issue asks for")
    func twoCommands() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(text.contains("swift run dapodik-verify demo"))
        #expect(text.contains("\nswift test "))
        for link in [
            "GettingStarted", "Flow", "SecurityModel", "StorageFormat", "ImplementingAMailTransport",
            "ImplementingAStore", "Operations",
        ] {
            #expect(text.contains("(Documentation/\(link).md)"))
            #expect(
                FileManager.default.fileExists(
                    atPath: Self.root.appendingPathComponent("Documentation/\(link).md").path))
        }
    }
}
