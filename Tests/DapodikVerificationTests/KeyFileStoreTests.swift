import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

/// `KeyFile.readOrCreate(for:now:)`: whether a store is new is read from its recorded check values,
/// so a file store and an in-memory one (standing for a database) are treated alike.
extension KeyFileTests {
    /// The stores the keys are opened for.
    enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
        case file, memory

        var testDescription: String { rawValue }

        /// A new, empty store of this kind; a file store lives in `directory`'s `store/`.
        func make(in directory: URL) throws -> any RecordStore {
            switch self {
            case .file: try FileRecordStore(directory: directory.appendingPathComponent("store"))
            case .memory: InMemoryRecordStore()
            }
        }
    }

    @Test("a new store gets a new key file, whose keys it records", arguments: StoreKind.allCases)
    func newStoreCreatesKeys(_ kind: StoreKind) async throws {
        let fixture = try Fixture.make()
        let store = try kind.make(in: fixture.directory)
        #expect(!fixture.keyFile.exists)
        let keys = try await fixture.keyFile.readOrCreate(for: store, now: Self.start)
        #expect(keys.generations.map(\.id) == ["k1"])
        #expect(try fixture.keyFile.read().generations == keys.generations)
        #expect(try await KeyFile.firstUnusedKeyNumber(in: store) == 2)
    }

    @Test(
        "a store used with keys refuses a missing key file with a typed error and writes nothing",
        arguments: StoreKind.allCases)
    func usedStoreRefusesMissingFile(_ kind: StoreKind) async throws {
        let fixture = try Fixture.make()
        let store = try kind.make(in: fixture.directory)
        _ = try await fixture.keyFile.readOrCreate(for: store, now: Self.start)
        try FileManager.default.removeItem(at: fixture.url)
        let names = try fixture.names()
        let sequence = try await store.changes(after: 0).last?.sequence
        let error = await #expect(throws: KeyFileError.self) { try await fixture.keyFile.readOrCreate(for: store) }
        #expect(error?.code == .missingForUsedStore)
        #expect(
            error?.message.indonesian.contains("\(fixture.url.path) tidak ada, padahal penyimpanan datanya ada") == true
        )
        #expect(error?.message.english.contains("\(fixture.url.path) is missing although the store exists") == true)
        #expect(!fixture.keyFile.exists)
        #expect(try fixture.names() == names)
        #expect(try await store.changes(after: 0).last?.sequence == sequence)
    }

    @Test("the store's own key file is opened, unchanged", arguments: StoreKind.allCases)
    func matchingFileOpens(_ kind: StoreKind) async throws {
        let fixture = try Fixture.make()
        let store = try kind.make(in: fixture.directory)
        let created = try await fixture.keyFile.readOrCreate(for: store, now: Self.start)
        _ = try fixture.keyFile.rotate(now: Self.start)
        let rotated = try await fixture.keyFile.readOrCreate(for: store, now: Self.start)
        let bytes = try fixture.bytes()
        let opened = try await fixture.keyFile.readOrCreate(for: store, now: Self.start.addingTimeInterval(60))
        #expect(opened.generations == rotated.generations)
        #expect(opened.generations.map(\.id) == ["k1", "k2"])
        #expect(opened.generations.first == created.generations.first)
        #expect(try fixture.bytes() == bytes)
    }

    @Test("another directory's key file is refused by the store and left as it is", arguments: StoreKind.allCases)
    func mismatchingFileRefused(_ kind: StoreKind) async throws {
        let ours = try Fixture.make()
        let theirs = try Fixture.make()
        let store = try kind.make(in: ours.directory)
        _ = try await ours.keyFile.readOrCreate(for: store, now: Self.start)
        _ = try theirs.keyFile.create(now: Self.start)
        try FileManager.default.removeItem(at: ours.url)
        try FileManager.default.copyItem(at: theirs.url, to: ours.url)
        let bytes = try ours.bytes()
        let error = await #expect(throws: KeyFileError.self) { try await ours.keyFile.readOrCreate(for: store) }
        #expect(error?.code == .keyMismatch)
        #expect(try ours.bytes() == bytes)
    }
}
