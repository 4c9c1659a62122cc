import Foundation
import Testing

/// `dapodik-portal --help`, run as the built program.
@Suite(.timeLimit(.minutes(10)))
struct PortalHelpTests {
    /// The built `dapodik-portal`, beside this test runner (`<products>/<Package>PackageTests.xctest`).
    static let program: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        while directory.path != "/"
            && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("dapodik-portal").path)
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("dapodik-portal")
    }()

    /// Runs the program with `arguments`; its exit status and standard output.
    static func run(_ arguments: [String], language: String?) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DAPODIK_LANG"] = language
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("--help says every option in Indonesian, or in English on request, and exits 0")
    func help() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.program.path), "\(Self.program.path)")
        for flag in ["--help", "-h"] {
            let indonesian = try Self.run([flag], language: nil)
            #expect(indonesian.status == 0)
            #expect(indonesian.output.contains("PENGGUNAAN") && indonesian.output.contains("--secure-cookies"))
            let english = try Self.run([flag], language: "en")
            #expect(english.status == 0)
            #expect(english.output.contains("USAGE") && english.output.contains("the port (default 8080)"))
        }
        let unknown = try Self.run(["--bantu"], language: nil)
        #expect(unknown.status == 64)
    }
}
