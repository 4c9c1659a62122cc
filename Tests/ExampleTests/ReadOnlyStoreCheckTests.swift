import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

/// `dapodik-verify store check` opens the store read-only: it changes nothing, not even what a
/// writer would repair, and it works on a backup on read-only media, as `store backup` from there does.
@Suite("dapodik-verify store check, read-only", .timeLimit(.minutes(10)))
struct ReadOnlyStoreCheckTests {
    /// `dapodik-verify` on the data directory `data`, in `lang`.
    static func run(_ arguments: [String], data: URL, lang: String = "en") async throws -> ExampleProcess.Result {
        try await ExampleProcess.run(
            "dapodik-verify", arguments + ["--data", data.path], environment: ["DAPODIK_LANG": lang])
    }

    /// Every file of the store with its bytes and modification time, and the directory's own (`.`).
    static func listing(_ store: URL) throws -> [String: String] {
        let files = FileManager.default
        var listing: [String: String] = [:]
        for name in try files.contentsOfDirectory(atPath: store.path) + ["."] {
            let path = store.appendingPathComponent(name).path
            let modified = try files.attributesOfItem(atPath: path)[.modificationDate] as? Date
            let contents = name == "." ? Data() : try Data(contentsOf: URL(fileURLWithPath: path))
            listing[name] =
                "\(contents.count) bytes, hash \(contents.hashValue), modified \(String(describing: modified))"
        }
        return listing
    }

    @Test("store check changes nothing, also what opening the store for writing repairs (an empty LOCK, leftovers)")
    func checkChangesNothing() async throws {
        let school = try await CommandFlowTests.School.make()
        let compacted = try await school.run(["store", "compact"])
        #expect(compacted.status == 0, "\(compacted.standardError)")
        let store = school.data.appendingPathComponent("store")
        // An empty LOCK as a backup leaves it, and a manifest a compaction killed midway left.
        try FileHandle(forWritingTo: store.appendingPathComponent("LOCK")).truncate(atOffset: 0)
        try Data("dapodik-store format=2 generation=3\n".utf8).write(to: store.appendingPathComponent("CURRENT.tmp"))
        let before = try Self.listing(store)

        let checked = try await Self.run(["store", "check"], data: school.data)
        #expect(checked.status == 0, "\(checked.standardError)")
        #expect(checked.standardOutput.contains("The store is intact: generation 2"), "\(checked.standardOutput)")
        #expect(try Self.listing(store) == before)
    }

    @Test("store check says what it left out after the log's last commit (a write cut short), and leaves it")
    func tornTailIsSaid() async throws {
        let school = try await CommandFlowTests.School.make()
        let store = school.data.appendingPathComponent("store")
        let log = try #require(
            try FileManager.default.contentsOfDirectory(atPath: store.path).first { $0.hasPrefix("log-") })
        // The remains of a write cut short, a little after the last frame (zeros between, as a crash
        // may leave them).
        let contents = try Data(contentsOf: store.appendingPathComponent(log))
        let end = try #require(contents.lastIndex { $0 != 0 }) + 1
        let handle = try FileHandle(forUpdating: store.appendingPathComponent(log))
        try handle.seek(toOffset: UInt64(end + 16))
        try handle.write(contentsOf: Data([0x5A, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33]))
        try handle.close()
        let before = try Self.listing(store)

        let checked = try await Self.run(["store", "check"], data: school.data)
        #expect(checked.status == 0, "\(checked.standardError)")
        #expect(checked.standardOutput.contains("The store is intact"), "\(checked.standardOutput)")
        #expect(checked.standardOutput.contains("bytes of a write cut short"), "\(checked.standardOutput)")
        #expect(checked.standardOutput.contains("the next open for writing zeroes them"), "\(checked.standardOutput)")
        let indonesian = try await Self.run(["store", "check"], data: school.data, lang: "id")
        #expect(indonesian.standardOutput.contains("sisa tulisan yang terpotong"), "\(indonesian.standardOutput)")
        let json = try await Self.run(["store", "check", "--json"], data: school.data)
        #expect(json.standardOutput.contains(#""reason" : "tornWrite""#), "\(json.standardOutput)")
        #expect(try Self.listing(store) == before)
    }

    @Test("a store without LOCK is checked (0) without making one, with a warning naming store recover")
    func missingLock() async throws {
        let school = try await CommandFlowTests.School.make()
        let store = school.data.appendingPathComponent("store")
        try FileManager.default.removeItem(at: store.appendingPathComponent("LOCK"))
        let before = try Self.listing(store)

        let checked = try await Self.run(["store", "check"], data: school.data)
        #expect(checked.status == 0, "\(checked.standardError)")
        #expect(checked.standardOutput.contains("The store is intact"), "\(checked.standardOutput)")
        #expect(checked.standardError.contains("LOCK is missing"), "\(checked.standardError)")
        #expect(checked.standardError.contains("'dapodik-verify store recover --yes'"), "\(checked.standardError)")
        let json = try await Self.run(["store", "check", "--json"], data: school.data, lang: "id")
        #expect(json.status == 0, "\(json.standardError)")
        #expect(json.standardError.contains(#""code":"store.lockFileMissing""#), "\(json.standardError)")
        #expect(json.standardError.contains("berkas kunci"), "\(json.standardError)")
        #expect(try Self.listing(store) == before)
    }

    @Test(
        "on a read-only mount: store check exits 0 for an intact store and 74 naming the file and offset of a damaged value; store backup --with-keys copies from there; nothing changes",
        .enabled(if: Tmpfs.canMount || ExternalTool.isCI, "needs root and mount, for a tmpfs remounted read-only"))
    func readOnlyMount() async throws {
        try #require(Tmpfs.canMount, "CI=true, but this machine cannot mount a tmpfs as root")
        let scratch = try TemporaryDirectory("read-only-check")
        let mountPoint = scratch.appending("tmpfs", isDirectory: true)
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        try await Tmpfs.mount(at: mountPoint, size: "32m")
        defer { Tmpfs.unmount(mountPoint) }
        let intact = mountPoint.appendingPathComponent("intact")
        let damaged = mountPoint.appendingPathComponent("damaged")
        for data in [intact, damaged] {
            _ = try await FullDiskTests.school(in: data)
            let compacted = try await Self.run(["store", "compact"], data: data)
            #expect(compacted.status == 0, "\(compacted.standardError)")
        }
        // The operator's name sits in her account's value, which opening does not read.
        let damagedStore = damaged.appendingPathComponent("store")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: damagedStore.path).first { $0.hasPrefix("snapshot-") })
        let snapshot = damagedStore.appendingPathComponent(name)
        var bytes = try Data(contentsOf: snapshot)
        let value = try #require(bytes.range(of: Data("Siti Aminah".utf8)))
        bytes[value.lowerBound] ^= 0x01
        try bytes.write(to: snapshot)
        try await Tmpfs.remountReadOnly(mountPoint)
        let before = try [intact, damaged].map { try Self.listing($0.appendingPathComponent("store")) }

        let english = try await Self.run(["store", "check"], data: intact)
        #expect(english.status == 0, "\(english.standardError)")
        #expect(english.standardOutput.contains("The store is intact: generation 2"), "\(english.standardOutput)")
        let indonesian = try await Self.run(["store", "check"], data: intact, lang: "id")
        #expect(indonesian.status == 0, "\(indonesian.standardError)")
        #expect(indonesian.standardOutput.contains("Penyimpanan utuh: generasi 2"), "\(indonesian.standardOutput)")

        // Where the damaged value starts, as the library reports it.
        var options = FileRecordStore.Options()
        options.readOnly = true
        let library = try FileRecordStore(directory: damagedStore, options: options)
        let damage = await #expect(throws: StoreError.self) { _ = try await library.checkIntegrity() }
        library.close()
        let offset = try #require(damage?.offset)
        let refused = try await Self.run(["store", "check"], data: damaged)
        #expect(refused.status == 74, "\(refused.standardError)")
        #expect(
            refused.standardError.contains("File \(snapshot.path) is corrupted at byte offset \(offset)"),
            "\(refused.standardError)")
        #expect(refused.standardError.contains("value checksum mismatch"), "\(refused.standardError)")
        let refusedInIndonesian = try await Self.run(["store", "check"], data: damaged, lang: "id")
        #expect(refusedInIndonesian.status == 74)
        #expect(
            refusedInIndonesian.standardError.contains("Berkas \(snapshot.path) rusak pada posisi byte \(offset)"),
            "\(refusedInIndonesian.standardError)")

        let backup = scratch.appending("backup", isDirectory: true)
        let copied = try await Self.run(["store", "backup", "--with-keys", backup.path], data: intact)
        #expect(copied.status == 0, "\(copied.standardError)")
        #expect(
            try Data(contentsOf: backup.appendingPathComponent("secret-keys"))
                == Data(contentsOf: intact.appendingPathComponent("secret-keys")))
        let checkedCopy = try await Self.run(["store", "check"], data: backup)
        #expect(checkedCopy.status == 0, "\(checkedCopy.standardError)")

        #expect(try [intact, damaged].map { try Self.listing($0.appendingPathComponent("store")) } == before)
        withExtendedLifetime(scratch) {}
    }
}
