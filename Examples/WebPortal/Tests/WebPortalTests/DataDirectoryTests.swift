import DapodikVerification
import Foundation
import Testing

@testable import WebPortalCore

@Suite("A demo and real data never share a data directory")
struct DataDirectoryTests {
    static let sender = try! EmailAddress("verifikasi@dapodik.example")

    /// A fresh, not yet created data directory inside a new 0700 directory.
    static func directory() throws -> PortalDataDirectory {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent(
            "portal-data-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(
            at: parent, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return PortalDataDirectory(path: parent.appendingPathComponent("data").path)
    }

    @Test("--demo makes a new directory its own (marked, 0600) and opens it again; real use of it is refused")
    func demoDirectory() async throws {
        let data = try Self.directory()
        _ = try await data.openService(demo: true, sender: Self.sender)
        let marker = try FileManager.default.attributesOfItem(atPath: data.demoMarker.path)
        #expect((marker[.posixPermissions] as? Int) == 0o600)
        _ = try await data.openService(demo: true, sender: Self.sender)
        let refused = await #expect(throws: PortalSetupError.self) {
            _ = try await data.openService(sender: Self.sender)
        }
        #expect(refused?.message.indonesian.contains("dibuat oleh --demo") == true, "\(String(describing: refused))")
        #expect(refused?.message.english.contains("was made by --demo") == true)
    }

    @Test("--demo over a directory with real data is refused, and marks nothing")
    func demoOverRealData() async throws {
        let data = try Self.directory()
        _ = try await data.openService(sender: Self.sender)
        let before = try FileManager.default.contentsOfDirectory(atPath: data.root.path).sorted()
        let refused = await #expect(throws: PortalSetupError.self) {
            _ = try await data.openService(demo: true, sender: Self.sender)
        }
        #expect(refused?.message.indonesian.contains("bukan dibuat oleh demo") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.root.path).sorted() == before)
        // Still fine for real use.
        _ = try await data.openService(sender: Self.sender)
    }

    @Test("--demo with another store is refused before anything is made")
    func demoWithOtherStore() async throws {
        let data = try Self.directory()
        await #expect(throws: PortalSetupError.self) {
            _ = try await data.openService(demo: true, store: InMemoryRecordStore(), sender: Self.sender)
        }
        #expect(!FileManager.default.fileExists(atPath: data.root.path))
    }
}
