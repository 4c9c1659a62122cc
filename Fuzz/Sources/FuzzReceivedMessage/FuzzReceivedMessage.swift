import DapodikAccounts
import DapodikMail
import Foundation
import FuzzDriver

// The fuzz target of `ReceivedMessage(bytes:)`, the parser of mail read back from a mailbox: any
// bytes must give some message (it refuses nothing), never a trap.

/// Seeds: messages rendered by `MailMessage` (plain and multipart, ASCII and not).
private func writeSeeds(to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let from = Mailbox(try EmailAddress("operator@sekolah.example"), displayName: "Operator Sekolah")
    let to = Mailbox(try EmailAddress("siti@gmail.com"), displayName: "Siti Rahayu")
    let date = Date(timeIntervalSince1970: 1_782_874_800)
    let messages = [
        MailMessage(
            from: from, to: [to], subject: "Kode verifikasi", textBody: "Kode Anda: 123456\nBerlaku 30 menit.",
            date: date),
        MailMessage(
            from: from, to: [to], subject: "Kode verifikasi: ñ é 😀, " + String(repeating: "panjang ", count: 12),
            textBody: "Baris pertama\n.baris bertitik\nFrom awal\n" + String(repeating: "é", count: 100),
            htmlBody: "<p>Kode Anda: <b>123456</b></p>", date: date, dateSecondsFromUTC: 7 * 3600),
    ]
    for (number, message) in messages.enumerated() {
        try Data(try message.rendered().bytes).write(to: directory.appendingPathComponent("message-\(number + 1)"))
    }
}

/// The program's entry point. SwiftPM links an executable's `main` to `<target>_main`; built with
/// `-parse-as-library` (see `.ci/fuzz`), the target defines that symbol itself and hands the command
/// line to libFuzzer.
@_cdecl("FuzzReceivedMessage_main")
public func fuzzTargetMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzTarget(argc, argv, writingSeeds: writeSeeds) { data, size in testOneInput(data, size) }
}

/// libFuzzer calls this with every input; it returns 0. (Required by the link: libFuzzer's own
/// `main` refers to it, although ``fuzzTargetMain(_:_:)`` is the one that runs.)
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let message = ReceivedMessage(bytes: data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    _ = message.header("Subject")
    _ = message.plainText
    return 0
}
