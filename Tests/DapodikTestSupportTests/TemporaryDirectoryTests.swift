import DapodikTestSupport
import Foundation
import Testing

struct TemporaryDirectoryTests {
    @Test("a temporary directory exists while it is held and is removed, with its files, when released")
    func removedOnRelease() throws {
        var directory: TemporaryDirectory? = try TemporaryDirectory("self-test")
        let url = try #require(directory?.url)
        try Data("x".utf8).write(to: url.appendingPathComponent("file"))
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("file").path))
        directory = nil
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test("withTemporaryDirectory removes the directory when its body throws")
    func removedAfterThrowingBody() throws {
        struct Stop: Error {}
        var seen: URL?
        #expect(throws: Stop.self) {
            try withTemporaryDirectory("self-test") { directory in
                seen = directory.url
                throw Stop()
            }
        }
        let url = try #require(seen)
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test("two directories are never the same")
    func fresh() throws {
        let first = try TemporaryDirectory("self-test")
        let second = try TemporaryDirectory("self-test")
        #expect(first.url != second.url)
    }
}
