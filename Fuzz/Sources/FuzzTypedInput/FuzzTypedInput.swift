import DapodikAccounts
import DapodikMail
import Foundation
import FuzzDriver

// The fuzz target of the parsers of what a person types (an address, a username, a NIK, a NIP, a
// NUPTK, an NPSN, a name, a password) and of a delivery status code read from a server's reply:
// any text must give a value or a typed `ValidationError`, never a trap, and a value must hold the
// parsers' own promises:
// - its text parses again to the same value (what is stored and shown can be read back);
// - every accessor answers (NIK's and NIP's date fields unwrap digits the parser checked);
// - an address's canonical form and its mailbox are fixed points: parsing either again gives the
//   same canonical form and the same mailbox (the one-account-per-mailbox key never drifts).
//
// Each input is one selector byte (which parser) and the text, as UTF-8 (invalid bytes repaired).

/// The parsers, in selector order.
private enum Parser: UInt8, CaseIterable {
    case emailAddress, username, nik, nip, nuptk, npsn, displayName, password, deliveryStatusCode
}

/// The default policy, made once (it normalizes its list of common passwords), and whose password it checks.
private let passwordPolicy = PasswordPolicy()
private let passwordOwner = (
    username: try? Username("budi.santoso"), email: try? EmailAddress("budi.santoso@gmail.com")
)

/// Stops the run with the input's parser and text: libFuzzer reports the trap with the input.
private func violated(_ promise: String, _ parser: Parser, _ text: String) -> Never {
    fatalError("\(parser): \(promise) for \(text.debugDescription)")
}

private func checkEmailAddress(_ text: String) {
    guard let address = try? EmailAddress(text) else { return }
    let canonical = address.canonical
    let mailbox = address.mailbox
    guard let again = try? EmailAddress(address.description), again == address else {
        violated("the text does not parse back to the same address", .emailAddress, text)
    }
    guard let fromCanonical = try? EmailAddress(canonical), fromCanonical.canonical == canonical else {
        violated("the canonical form is not a fixed point", .emailAddress, text)
    }
    guard fromCanonical.mailbox == mailbox else {
        violated("the canonical form has another mailbox", .emailAddress, text)
    }
    if let fromMailbox = try? EmailAddress(mailbox), fromMailbox.mailbox != mailbox {
        violated("the mailbox is not a fixed point", .emailAddress, text)
    }
    _ = EmailTypoSuggester.standard.suggestion(for: address)
}

private func checkIdentifier<Value: Equatable & CustomStringConvertible>(
    _ text: String, _ parser: Parser, _ parse: (String) throws -> Value, accessors: (Value) -> Void = { _ in }
) {
    guard let value = try? parse(text) else { return }
    accessors(value)
    guard let again = try? parse(value.description), again == value else {
        violated("the text does not parse back to the same value", parser, text)
    }
}

private func check(_ parser: Parser, _ text: String) {
    switch parser {
    case .emailAddress:
        checkEmailAddress(text)
    case .username:
        checkIdentifier(text, parser, Username.init)
    case .nik:
        checkIdentifier(text, parser, NIK.init) { nik in
            _ = (nik.provinceCode, nik.regencyCode, nik.districtCode, nik.serial, nik.sex)
            _ = (nik.birthDay, nik.birthMonth, nik.birthYearWithinCentury, nik.possibleBirthDates)
        }
    case .nip:
        checkIdentifier(text, parser, NIP.init) { nip in
            _ = (nip.birthDate, nip.appointmentYear, nip.appointmentMonth, nip.sex, nip.serial)
        }
    case .nuptk:
        checkIdentifier(text, parser, NUPTK.init)
    case .npsn:
        checkIdentifier(text, parser, NPSN.init) { _ = $0.kind }
    case .displayName:
        checkIdentifier(text, parser, { try DisplayName($0) })
    case .password:
        _ = try? passwordPolicy.validate(text, username: passwordOwner.username, email: passwordOwner.email)
    case .deliveryStatusCode:
        if let code = DeliveryStatusCode(text), DeliveryStatusCode(code.description) != code {
            violated("the code's text does not parse back to the same code", parser, text)
        }
        _ = DeliveryStatusCode.first(in: text)
    }
}

/// Seeds: for every parser a valid value and a near miss, plus non-ASCII, CR/LF and long ones.
private func writeSeeds(to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let seeds: [(Parser, String)] = [
        (.emailAddress, "Budi.Santoso+ptk@GoogleMail.com"), (.emailAddress, "siti@sekolah.sch.id"),
        (.emailAddress, "+tag@gmail.com"), (.emailAddress, "a..b@gmail.com"), (.emailAddress, "ñandú@contoh.id"),
        (.emailAddress, "x@gmial.com"), (.emailAddress, "budi@belajar.id\r\nBcc: x@y.z"),
        (.emailAddress, String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 63) + ".id"),
        (.username, "operator.20512345"), (.username, "Ünïcode"), (.username, "ab"),
        (.nik, "3201014107900001"), (.nik, "3201019907900001"), (.nip, "199001012015032001"),
        (.nip, "199013012015032001"), (.nuptk, "1234567890123456"), (.npsn, "20512345"), (.npsn, "P9999999"),
        (.displayName, "Siti Rahayu, S.Pd."), (.displayName, "Ni Luh Putu Ayu Ṡ\u{0301}"),
        (.displayName, "\u{202E}evil"),
        (.password, "Guru-Teladan-2026"), (.password, "password"), (.password, "budi.santoso2026"),
        (.deliveryStatusCode, "5.1.1"), (.deliveryStatusCode, "550 5.7.26 unauthenticated"),
        (.deliveryStatusCode, "4.999.999"),
    ]
    for (number, (parser, text)) in seeds.enumerated() {
        try Data([parser.rawValue] + Array(text.utf8)).write(to: directory.appendingPathComponent("seed-\(number + 1)"))
    }
}

/// The program's entry point (see FuzzReceivedMessage for why each target defines it).
@_cdecl("FuzzTypedInput_main")
public func fuzzTargetMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzTarget(argc, argv, writingSeeds: writeSeeds) { data, size in testOneInput(data, size) }
}

/// libFuzzer calls this with every input; it returns 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let parser = Parser.allCases[Int(bytes[0]) % Parser.allCases.count]
    check(parser, String(decoding: bytes.dropFirst(), as: UTF8.self))
    return 0
}
