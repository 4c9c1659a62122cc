import DapodikLanguage
import DapodikStorage
import DapodikTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A store refuses a directory another user could change, before it reads or writes anything in
/// it: one writable by others, another user's, or, run as root, anyone's but root's.
@Suite("The file store refuses a directory another user could change")
struct DirectoryTrustTests {
    /// The names in a directory, to see that a refusal created nothing.
    static func names(_ directory: URL) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
    }

    @Test(
        "a store directory writable by its group or by everyone is refused, naming it and the fix; nothing is written",
        arguments: [0o770, 0o707, 0o777, 0o1777] as [mode_t])
    func writableStoreDirectory(_ mode: mode_t) async throws {
        let scratch = try TemporaryDirectory("trust")
        _ = try FileRecordStore(directory: scratch.store)
        let before = try Self.names(scratch.store)
        try #require(chmod(scratch.store.path, mode) == 0)
        let octal = String(mode, radix: 8)
        for open in [
            { _ = try FileRecordStore(directory: scratch.store) },
            { _ = try FileRecordStore.salvage(directory: scratch.store) },
            { _ = try FileRecordStore.recoverManifest(directory: scratch.store) },
            { _ = try FileRecordStore.backup(directory: scratch.store, to: scratch.appending("copy")) },
        ] as [() throws -> Void] {
            let error = #expect(throws: StoreError.self) { try open() }
            #expect(error?.code == .untrustedDirectory)
            #expect(error?.file == scratch.store.path)
            #expect(error?.message.indonesian.contains("dapat ditulis oleh pengguna lain (mode \(octal))") == true)
            #expect(error?.message.indonesian.contains("chmod go-w \(scratch.store.path)") == true)
            #expect(error?.message.english.contains("can be written by other users (mode \(octal))") == true)
        }
        #expect(try Self.names(scratch.store) == before)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("copy")))
        try #require(chmod(scratch.store.path, 0o700) == 0)
        _ = try FileRecordStore(directory: scratch.store)
    }

    @Test("a writable directory above the store is refused; above, the sticky bit of /tmp is enough")
    func writableAbove() throws {
        let scratch = try TemporaryDirectory("trust")
        let shared = scratch.appending("shared", isDirectory: true)
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: false)
        try #require(chmod(shared.path, 0o777) == 0)
        let store = shared.appendingPathComponent("store", isDirectory: true)
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: store) }
        #expect(error?.code == .untrustedDirectory)
        #expect(error?.file == shared.path)
        #expect(error?.message.english.contains("The directory \(shared.path), above \(store.path),") == true)
        // The refusal came before anything was made, the store's directory included.
        #expect(!FileManager.default.fileExists(atPath: store.path))
        try #require(chmod(shared.path, 0o1777) == 0)
        _ = try FileRecordStore(directory: store)
    }

    @Test("a store reached through a link kept in a directory others can write to is refused: they could re-point it")
    func linkInWritableDirectory() throws {
        let scratch = try TemporaryDirectory("trust")
        _ = try FileRecordStore(directory: scratch.store)
        let open = scratch.appending("open", isDirectory: true)
        try FileManager.default.createDirectory(at: open, withIntermediateDirectories: false)
        let link = open.appendingPathComponent("store")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: scratch.store)
        _ = try FileRecordStore(directory: link)
        try #require(chmod(open.path, 0o777) == 0)
        for use in [
            { _ = try FileRecordStore(directory: link) },
            { _ = try FileRecordStore.salvage(directory: link) },
            { _ = try FileRecordStore.recoverManifest(directory: link) },
            { _ = try FileRecordStore.backup(directory: link, to: scratch.appending("copy")) },
        ] as [() throws -> Void] {
            let error = #expect(throws: StoreError.self) { try use() }
            #expect(error?.code == .untrustedDirectory)
            #expect(error?.file == open.path)
        }
    }

    @Test(
        "a link higher up the path, kept in a directory others can write to, is refused too: for the store and its backup"
    )
    func linkHigherUp() throws {
        let scratch = try TemporaryDirectory("trust")
        let safe = scratch.appending("safe", isDirectory: true)
        try FileManager.default.createDirectory(at: safe, withIntermediateDirectories: false)
        let open = scratch.appending("open", isDirectory: true)
        try FileManager.default.createDirectory(at: open, withIntermediateDirectories: false)
        let link = open.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: safe)
        let store = link.appendingPathComponent("store")
        _ = try FileRecordStore(directory: store)
        try #require(chmod(open.path, 0o777) == 0)
        for use in [
            { _ = try FileRecordStore(directory: store) },
            { _ = try FileRecordStore(directory: link.appendingPathComponent("new-store")) },
            {
                _ = try FileRecordStore.backup(
                    directory: safe.appendingPathComponent("store"), to: link.appendingPathComponent("copy"))
            },
        ] as [() throws -> Void] {
            let error = #expect(throws: StoreError.self) { try use() }
            #expect(error?.code == .untrustedDirectory)
            #expect(error?.file == open.path)
        }
        #expect(!FileManager.default.fileExists(atPath: safe.appendingPathComponent("new-store").path))
        #expect(!FileManager.default.fileExists(atPath: safe.appendingPathComponent("copy").path))
        // The same store by its own path, with no link on the way, is used.
        _ = try FileRecordStore(directory: safe.appendingPathComponent("store"))
    }

    @Test(
        "a store file others may write (LOCK, the log, the snapshot) is refused, naming the file; one they may only read is used",
        arguments: ["LOCK", "log-1", "snapshot-1"])
    func fileWritableByOthers(name: String) async throws {
        let scratch = try TemporaryDirectory("trust")
        do {
            let store = try FileRecordStore(directory: scratch.store)
            try await store.commit(.put(key("item", "1"), value: bytes("one"), expecting: .mustNotExist))
            store.close()
        }
        let file = scratch.store.appendingPathComponent(name).path
        try #require(chmod(file, 0o666) == 0)
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .untrustedDirectory)
        #expect(error?.file == file)
        #expect(error?.message.english.contains("The file \(file), in \(scratch.store.path),") == true)
        #expect(error?.message.indonesian.contains("chmod go-w \(file)") == true)
        try #require(chmod(file, 0o644) == 0)
        let store = try FileRecordStore(directory: scratch.store)
        #expect(text(try await store.record(for: key("item", "1"))) == "one")
        store.close()
    }

    @Test("a backup is not written below a directory others can write to")
    func backupDestination() throws {
        let scratch = try TemporaryDirectory("trust")
        _ = try FileRecordStore(directory: scratch.store)
        let open = scratch.appending("open", isDirectory: true)
        try FileManager.default.createDirectory(at: open, withIntermediateDirectories: false)
        try #require(chmod(open.path, 0o775) == 0)
        let destination = open.appendingPathComponent("copy")
        let error = #expect(throws: StoreError.self) {
            _ = try FileRecordStore.backup(directory: scratch.store, to: destination)
        }
        #expect(error?.code == .untrustedDirectory)
        #expect(!FileManager.default.fileExists(atPath: destination.path))
    }

    @Test(
        "run as root, a store in another user's directory is refused, so root never writes where that user points it",
        .enabled(if: geteuid() == 0, "needs root, to give the directory to another user"))
    func rootInAnotherUsersDirectory() throws {
        let scratch = try TemporaryDirectory("trust")
        _ = try FileRecordStore(directory: scratch.store)
        let nobody: uid_t = 65_534
        try #require(chown(scratch.store.path, nobody, gid_t(nobody)) == 0)
        let before = try Self.names(scratch.store)
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .untrustedDirectory)
        #expect(error?.message.indonesian.contains("milik nobody") == true)
        #expect(error?.message.indonesian.contains("sudo -u nobody") == true)
        #expect(error?.message.english.contains("belongs to nobody, and the program runs as root") == true)
        #expect(try Self.names(scratch.store) == before)
        let backup = #expect(throws: StoreError.self) {
            _ = try FileRecordStore.backup(directory: scratch.store, to: scratch.appending("copy"))
        }
        #expect(backup?.code == .untrustedDirectory)
    }
}
