import DapodikMail
import Foundation
import FuzzDriver

// The fuzz target of `BounceReport(bytes:)`, the reader of whatever arrives at the bounce address:
// delivery status notifications, old text bounces, auto-replies, and anything anyone sends there.
// Any bytes must give a report or a typed `BounceReadingError`, within the limits' bounds (libFuzzer's
// -timeout and -rss_limit_mb catch a reader that runs away), never a trap; and what a report says
// must hold together as `BounceReport` documents it:
// - an auto-reply or a message that is no bounce speaks of no recipient;
// - a diagnostic is one line without control characters, at most `maximumDiagnosticLength` long;
// - the most severe recipient report, for any address, is one of the report's own.

private func check(_ report: BounceReport) {
    func violated(_ promise: String) -> Never {
        fatalError("\(promise): \(report)")
    }
    if report.kind == .autoReply || report.kind == .notABounce, !report.recipients.isEmpty {
        violated("a report of kind \(report.kind) names recipients")
    }
    for recipient in report.recipients {
        if let diagnostic = recipient.diagnostic {
            if diagnostic.count > BounceReport.maximumDiagnosticLength {
                violated("a diagnostic is longer than maximumDiagnosticLength")
            }
            if diagnostic.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                violated("a diagnostic has a control character")
            }
        }
        if let worst = report.mostSevereReport(for: recipient.finalRecipient), !report.recipients.contains(worst) {
            violated("the most severe report is not one of the report's recipients")
        }
    }
    if let worst = report.mostSevereReport(), !report.recipients.contains(worst) {
        violated("the most severe report is not one of the report's recipients")
    }
}

/// Seeds: the bounce fixtures of the mail tests (real reports of Gmail, Microsoft 365, Postfix, Exim,
/// qmail and auto-replies, with their placeholders filled in), in LF and CRLF form.
private func writeSeeds(to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Tests/DapodikMailTests/Fixtures/Bounces").standardizedFileURL
    let names = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter { $0.hasSuffix(".eml") }
    for name in names.sorted() {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            .replacingOccurrences(
                of: "%RETURN_PATH%", with: "bounce+0123456789abcdef0123456789abcdef0123456789abcdef0123@sekolah.example"
            )
            .replacingOccurrences(of: "%RECIPIENT%", with: "siti.rahmawati@penerima.example")
            .replacingOccurrences(of: "%MESSAGE_ID%", with: "5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f@sekolah.example")
        let stem = name.dropLast(".eml".count)
        try Data(text.utf8).write(to: directory.appendingPathComponent("\(stem)-lf"))
        try Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .write(to: directory.appendingPathComponent("\(stem)-crlf"))
    }
}

/// The program's entry point (see FuzzReceivedMessage for why each target defines it).
@_cdecl("FuzzBounceReport_main")
public func fuzzTargetMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzTarget(argc, argv, writingSeeds: writeSeeds) { data, size in testOneInput(data, size) }
}

/// libFuzzer calls this with every input; it returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    if let report = try? BounceReport(bytes: bytes) { check(report) }
    return 0
}
