import DapodikTestSupport
import Foundation
import Testing

@Suite("dapodik-verify demo")
struct DemoTests {
    @Test("the demo runs the seed's whole scenario in Indonesian and exits 0", .timeLimit(.minutes(10)))
    func indonesian() async throws {
        let result = try await ExampleProcess.run("dapodik-verify", ["demo"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        let output = result.standardOutput
        for expected in [
            "== Langkah 1: Operator sekolah dan sekolahnya dibuat",
            "$ dapodik-verify operator confirm --as siti",
            "budi.santoso@gmial.com",  // the typo, caught before sending …
            "--email budi.santoso@gmail.com",  // … and corrected
            "Tertangkap SEBELUM dikirim",
            "BIODATA → Akun", "Status: belum verifikasi", "Email Aktif: budi.santoso@gmail.com",
            "dicoba lagi", "(451)", "percobaan berikutnya",  // the delayed first mail
            "(kode ke-2)",  // the resend
            "kode yang terlambat tetap diterima",
            "emailVerified  budi.santoso@gmail.com",  // the sync feed
            "Selesai: Budi Santoso terverifikasi",
        ] {
            #expect(output.contains(expected), "missing: \(expected)")
        }
        #expect(!output.contains("Step "))
    }

    @Test("with --lang en every step is narrated in English", .timeLimit(.minutes(10)))
    func english() async throws {
        let result = try await ExampleProcess.run("dapodik-verify", ["demo", "--lang", "en"])
        #expect(result.status == 0, "\(result.standardError)")
        let output = result.standardOutput
        for expected in [
            "== Step 1: The school and its operator are created", "Caught BEFORE sending", "retrying",
            "(code no. 2)", "the late code is still accepted", "emailVerified  budi.santoso@gmail.com",
            "Done: Budi Santoso is verified",
        ] {
            #expect(output.contains(expected), "missing: \(expected)")
        }
        #expect(!output.contains("Langkah"))
        #expect(!output.contains("Selesai"))
    }

    @Test("the late code the PTK submits is the FIRST code, which arrived after the second", .timeLimit(.minutes(10)))
    func lateCodeIsTheFirst() async throws {
        let result = try await ExampleProcess.run("dapodik-verify", ["demo", "--lang", "en"])
        let output = result.standardOutput
        func code(after marker: String) -> String? {
            guard let range = output.range(of: marker) else { return nil }
            return String(output[range.upperBound...].prefix { $0.isNumber })
        }
        let second = try #require(code(after: "(code no. 2)\" holds "))
        let late = try #require(code(after: "holds the first code: "))
        #expect(second.count == 6 && late.count == 6)
        #expect(second != late)
        #expect(output.contains("ptk submit --as budi.santoso \(late)"))
    }

    @Test("the demo removes its temporary directory; --keep leaves a usable data directory", .timeLimit(.minutes(10)))
    func directories() async throws {
        let temporary = try await ExampleProcess.run("dapodik-verify", ["demo"])
        let line = try #require(temporary.standardOutput.split(separator: "\n").first)
        let path = try #require(line.components(separatedBy: "Data sementara: ").last)
        #expect(path.hasPrefix("/") && !FileManager.default.fileExists(atPath: path))

        let scratch = try TemporaryDirectory("example")
        let kept = scratch.appending("demo")
        let result = try await ExampleProcess.run("dapodik-verify", ["demo", "--keep", kept.path])
        #expect(result.status == 0)
        let keys = try FileManager.default.attributesOfItem(atPath: kept.appendingPathComponent("secret-keys").path)
        #expect((keys[.posixPermissions] as? Int) == 0o600)
        let directory = try FileManager.default.attributesOfItem(atPath: kept.path)
        #expect((directory[.posixPermissions] as? Int) == 0o700)
        // The kept directory is an ordinary data directory: the CLI reads its mailbox and feed.
        let mailbox = try await ExampleProcess.run(
            "dapodik-verify", ["mailbox", "list", "--json", "--data", kept.path, "--to", "budi.santoso@gmail.com"])
        let messages = try JSONSerialization.jsonObject(with: Data(mailbox.standardOutput.utf8)) as? [Any]
        #expect(messages?.count == 2)
        let feed = try await ExampleProcess.run("dapodik-verify", ["feed", "--json", "--data", kept.path])
        #expect(feed.standardOutput.contains("\"kind\" : \"emailVerified\""))
        let again = try await ExampleProcess.run("dapodik-verify", ["demo", "--keep", kept.path])
        #expect(again.status == 65)  // an existing --keep directory is a value that is not valid
    }
}
