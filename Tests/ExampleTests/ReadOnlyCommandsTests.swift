import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

/// The commands that only read (`feed`, `report`, `ptk list`, `ptk status`, `ptk delivery`,
/// `operator status`) open the store read-only where it cannot be written, so they work on a backup on
/// read-only media or a replica; a command that writes is refused there in words, not by errno.
/// Where the store can be written, they open it as every command does, and their logins count.
@Suite("dapodik-verify read-only commands", .timeLimit(.minutes(10)))
struct ReadOnlyCommandsTests {
    /// Each command that only reads, with the password lines its login asks for.
    static let readingCommands: [(arguments: [String], input: String)] = [
        (["feed"], ""),
        (["feed", "--json"], ""),
        (["report", "--as", "siti"], CommandFlowTests.operatorPassword + "\n"),
        (["ptk", "list", "--as", "siti"], CommandFlowTests.operatorPassword + "\n"),
        (["operator", "status", "--as", "siti"], CommandFlowTests.operatorPassword + "\n"),
        (["ptk", "status", "--as", "budi"], CommandFlowTests.ptkPassword + "\n"),
        (["ptk", "delivery", "--as", "budi", "--json"], CommandFlowTests.ptkPassword + "\n"),
    ]

    /// `dapodik-verify` on the data directory `data`, in `lang`.
    static func run(
        _ arguments: [String], data: URL, input: String = "", lang: String = "id"
    ) async throws -> ExampleProcess.Result {
        try await ExampleProcess.run(
            "dapodik-verify", arguments + ["--data", data.path], input: input, environment: ["DAPODIK_LANG": lang])
    }

    @Test(
        "on a store it may write, a reading command's login counts every attempt: wrong passwords through report are in the account's throttle record"
    )
    func readingCommandsCountFailedLogins() async throws {
        let school = try await CommandFlowTests.School.make()
        for _ in 0..<6 {
            let wrong = try await school.run(["report", "--as", "siti"], input: "bukan-sandinya-2026\n", lang: "en")
            #expect(wrong.status != 0)
        }
        // What was counted, read from the store itself rather than from whether a later login is still
        // held back (the delays may have run out on a slow machine). At least the three free failures:
        // an attempt refused while a delay runs is not counted. A read-only login on this store counted
        // none, and left no record.
        var options = FileRecordStore.Options()
        options.readOnly = true
        let store = try FileRecordStore(directory: school.data.appendingPathComponent("store"), options: options)
        defer { store.close() }
        let account = try #require(try await store.record(whereUnique: "account.username", equals: "siti"))
        let throttle = try #require(
            try await store.record(for: RecordKey(collection: "throttle", id: "account-" + account.key.id)),
            "no failed login was counted for the account")
        let state = try #require(try JSONSerialization.jsonObject(with: throttle.value) as? [String: Any])
        #expect((state["failures"] as? Int ?? 0) >= 3, "\(state)")
    }

    @Test(
        "on a store it may write, a reading command opens it as a writing one does: a missing LOCK is named, not made")
    func writableStoreWithoutLock() async throws {
        let school = try await CommandFlowTests.School.make()
        let lock = school.data.appendingPathComponent("store/LOCK")
        try FileManager.default.removeItem(at: lock)
        let feed = try await school.run(["feed"], lang: "en")
        #expect(feed.status == 74, "\(feed.standardError)")
        #expect(feed.standardError.contains("store recover --yes"), "\(feed.standardError)")
        #expect(!FileManager.default.fileExists(atPath: lock.path))
    }

    @Test(
        "on a read-only mount: every reading command prints what it prints on the writable original; a writing command exits 74 saying the file system is read-only",
        .enabled(if: Tmpfs.canMount || ExternalTool.isCI, "needs root and mount, for a tmpfs remounted read-only"))
    func readingCommandsOnAReadOnlyMount() async throws {
        try #require(Tmpfs.canMount, "CI=true, but this machine cannot mount a tmpfs as root")
        let school = try await CommandFlowTests.School.withPTK(sendingCode: true)
        // A key rotated just before the copy: its check value is recorded by the rotation itself, so the
        // copy's reading commands find it known (they used to fail until some command wrote).
        let rotated = try await Self.run(["key", "rotate"], data: school.data)
        try #require(rotated.status == 0, "\(rotated.standardError)")
        let mountPoint = school.scratch.appending("tmpfs", isDirectory: true)
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        try await Tmpfs.mount(at: mountPoint, size: "32m")
        defer { Tmpfs.unmount(mountPoint) }
        let copy = mountPoint.appendingPathComponent("data")
        let copied = try await ChildProcess.run("/bin/cp", ["-a", school.data.path, copy.path])
        try #require(copied.status == 0, "\(copied.standardError)")
        try await Tmpfs.remountReadOnly(mountPoint)

        for (arguments, input) in Self.readingCommands {
            let original = try await Self.run(arguments, data: school.data, input: input)
            try #require(original.status == 0, "\(arguments): \(original.standardError)")
            let readOnly = try await Self.run(arguments, data: copy, input: input)
            #expect(readOnly.status == 0, "\(arguments): \(readOnly.standardError)")
            #expect(readOnly.standardOutput == original.standardOutput, "\(arguments)")
        }
        // What they print, in the person's language and on request in English.
        let list = try await Self.run(
            ["ptk", "list", "--as", "siti"], data: copy, input: CommandFlowTests.operatorPassword + "\n")
        #expect(list.standardOutput.contains("budi@gmail.com\tbelum verifikasi"), "\(list.standardOutput)")
        let report = try await Self.run(
            ["report", "--as", "siti"], data: copy, input: CommandFlowTests.operatorPassword + "\n", lang: "en")
        #expect(report.status == 0, "\(report.standardError)")
        #expect(report.standardOutput.contains("SD Negeri 1 Contoh (NPSN 20100101)"), "\(report.standardOutput)")
        #expect(report.standardOutput.contains("Verified 0, pending 1, never started 0"), "\(report.standardOutput)")
        #expect(report.standardOutput.contains("budi\tBudi Santoso\tb•••@gmail.com\tpending — Code 1 was sent"))
        let feed = try await Self.run(["feed"], data: copy)
        #expect(feed.standardOutput.contains("\temailVerified\tsiti.aminah@gmail.com"), "\(feed.standardOutput)")

        // A wrong password is refused as anywhere else (nothing can be counted, and nothing is written).
        let wrong = try await Self.run(["ptk", "status", "--as", "budi"], data: copy, input: "salah-sekali\n")
        #expect(wrong.status == 1, "\(wrong.standardError)")

        // A command that writes: refused in words, in Indonesian and in English, before it opens the store.
        let store = copy.appendingPathComponent("store").path
        let resend = try await Self.run(
            ["ptk", "resend", "--as", "budi"], data: copy, input: CommandFlowTests.ptkPassword + "\n")
        #expect(resend.status == 74, "\(resend.standardError)")
        #expect(
            resend.standardError.contains(
                "Penyimpanan data \(store) ada di sistem berkas hanya-baca (read-only), jadi perintah ini, yang "
                    + "mengubah data, tidak dapat dijalankan; tidak ada yang diubah."), "\(resend.standardError)")
        let drain = try await Self.run(["outbox", "drain"], data: copy, lang: "en")
        #expect(drain.status == 74, "\(drain.standardError)")
        #expect(
            drain.standardError.contains(
                "The store \(store) is on a read-only file system, so this command, which changes data, cannot run; "
                    + "nothing was changed. The commands that only read still work: feed, report"),
            "\(drain.standardError)")
        let json = try await Self.run(["outbox", "drain", "--json"], data: copy, lang: "en")
        #expect(json.status == 74)
        #expect(json.standardError.contains(#""code" : "io.readOnlyStore""#), "\(json.standardError)")
        // The store's own maintenance, which writes, is refused the same way (found by attacking the
        // store's CLI: it said only "open …/LOCK: read-only file system").
        for command in [
            ["store", "compact"], ["store", "salvage", "--yes"], ["store", "recover", "--yes"], ["key", "rotate"],
        ] {
            let refused = try await Self.run(command, data: copy, lang: "en")
            #expect(refused.status == 74, "\(command): \(refused.standardError)")
            #expect(
                refused.standardError.contains("is on a read-only file system, so this command, which changes data"),
                "\(command): \(refused.standardError)")
        }
    }
}
