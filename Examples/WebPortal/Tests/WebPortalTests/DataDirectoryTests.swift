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
        // The demo's hashing, for dapodik-verify on the same directory: a login there must not rehash.
        let settings = try JSONSerialization.jsonObject(with: Data(contentsOf: data.settings)) as? [String: Int]
        #expect(settings == ["passwordIterations": PortalDataDirectory.demoPasswordIterations])
        #expect(
            (try FileManager.default.attributesOfItem(atPath: data.settings.path)[.posixPermissions] as? Int) == 0o600)
        _ = try await data.openService(demo: true, sender: Self.sender)
        let refused = await #expect(throws: PortalSetupError.self) {
            _ = try await data.openService(sender: Self.sender)
        }
        #expect(refused?.message.indonesian.contains("dibuat oleh --demo") == true, "\(String(describing: refused))")
        #expect(refused?.message.english.contains("was made by --demo") == true)
    }

    /// Makes a file store with one record in `data`, as `dapodik-verify school create` would.
    static func makeRealData(_ data: PortalDataDirectory) async throws {
        try FileManager.default.createDirectory(
            at: data.root, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let store = try FileRecordStore(directory: data.store)
        try await store.commit(
            .put(RecordKey(collection: "a", id: "1"), value: Data("x".utf8), expecting: .mustNotExist))
        store.close()
    }

    @Test("real use of a directory without a store is refused, naming the command that makes one, and creates nothing")
    func realUseWithoutStore() async throws {
        let data = try Self.directory()
        let refused = await #expect(throws: PortalSetupError.self) {
            _ = try await data.openService(sender: Self.sender)
        }
        #expect(refused?.message.english.contains("There is no store in \(data.root.path)") == true)
        #expect(refused?.message.english.contains("dapodik-verify school create --data") == true)
        #expect(refused?.message.indonesian.contains("Tidak ada penyimpanan data") == true)
        #expect(refused?.exitStatus == 66, "EX_NOINPUT, as the CLI's missing data directory")
        #expect(!FileManager.default.fileExists(atPath: data.root.path))
        // An empty directory (a mistyped --data that exists) is refused too, and left empty.
        try FileManager.default.createDirectory(at: data.root, withIntermediateDirectories: false)
        await #expect(throws: PortalSetupError.self) { _ = try await data.openService(sender: Self.sender) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.root.path).isEmpty)
        // With another store given (PostgreSQL, say), the directory holds only the keys: no file store needed.
        _ = try await data.openService(store: InMemoryRecordStore(), sender: Self.sender)
    }

    @Test("--demo over a directory with real data is refused, and marks nothing")
    func demoOverRealData() async throws {
        let data = try Self.directory()
        try await Self.makeRealData(data)
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

    @Test("--demo takes an empty store given to it and marks it; it opens it again, and real use of it is refused")
    func demoWithEmptyStore() async throws {
        let data = try Self.directory()
        let store = InMemoryRecordStore()
        let service = try await data.openService(demo: true, store: store, sender: Self.sender)
        #expect(try await store.record(for: PortalDataDirectory.demoStoreMark) != nil)
        #expect(try await DemoSchool.seed(into: service))
        _ = try await data.openService(demo: true, store: store, sender: Self.sender)
        // Real use of the demo's store, even from a directory of its own, is refused.
        let other = try Self.directory()
        let refused = await #expect(throws: PortalSetupError.self) {
            _ = try await other.openService(store: store, sender: Self.sender)
        }
        #expect(refused?.message.english.contains("was made by --demo") == true, "\(String(describing: refused))")
        #expect(refused?.message.indonesian.contains("dibuat oleh --demo") == true)
        #expect(!FileManager.default.fileExists(atPath: other.root.path))
    }

    @Test("--demo with a store that holds other records is refused, and marks nothing in it or the directory")
    func demoWithRealStore() async throws {
        let data = try Self.directory()
        let store = InMemoryRecordStore()
        try await store.commit(
            .put(RecordKey(collection: "a", id: "1"), value: Data("x".utf8), expecting: .mustNotExist))
        let refused = await #expect(throws: PortalSetupError.self) {
            _ = try await data.openService(demo: true, store: store, sender: Self.sender)
        }
        #expect(refused?.message.english.contains("holds records the demo did not make") == true)
        #expect(refused?.message.indonesian.contains("bukan dibuat oleh demo") == true)
        #expect(try await store.record(for: PortalDataDirectory.demoStoreMark) == nil)
        #expect(try await store.changes(after: 0, limit: 10).count == 1)
        #expect(!FileManager.default.fileExists(atPath: data.root.path))
        // Still fine for real use.
        _ = try await data.openService(store: store, sender: Self.sender)
    }
}
