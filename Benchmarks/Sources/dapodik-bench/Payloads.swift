/// Record bodies of realistic size, shaped like the JSON the verification service stores, so both
/// stores move the same bytes. Sizes: account ≈ 500 bytes, challenge ≈ 350, outbox ≈ 600, event ≈ 250.
enum Payloads {
    static let npsnCount = 439_000

    /// The `n`-th account's e-mail address (unique).
    static func email(_ n: Int) -> String { "ptk.\(n)@sekolah\(n % 9973).sch.id" }

    /// The `n`-th account's username (unique).
    static func username(_ n: Int) -> String { "ptk\(n)" }

    /// The NPSN of the `n`-th account's school: accounts are spread over 439,000 schools.
    static func npsn(_ n: Int) -> String { String(20_100_000 + n % npsnCount) }

    static func accountID(_ n: Int) -> String { "0b7c1d2e-\(hex(n, width: 4))-4a5b-8c9d-\(hex(n, width: 12))" }

    static func account(_ n: Int, version: Int) -> [UInt8] {
        let json = """
            {"createdAt":"2025-07-01T07:15:00Z","email":"\(email(n))","emailStatus":{"state":"unverified",\
            "updatedAt":"2025-08-0\(1 + n % 9)T08:00:00Z"},"id":"\(accountID(n))","name":"Guru Nomor \(n) \
            S.Pd.","nik":"3273\(digits(n, width: 12))","nip":null,"nuptk":"\(digits(n, width: 16))",\
            "password":"pbkdf2-sha256$i=600000$c2FsdHNhbHRzYWx0c2FsdA$\
            ZGVyaXZlZGtleWRlcml2ZWRrZXlkZXJpdmVka2V5ZGVyaXY","role":"ptk","school":"\(npsn(n))",\
            "updatedAt":"2025-08-01T08:00:00Z","username":"\(username(n))","version":\(version)}
            """
        return Array(json.utf8)
    }

    static func challenge(_ n: Int, version: Int) -> [UInt8] {
        let json = """
            {"accountID":"\(accountID(n))","address":"\(email(n))","attempts":0,"codes":[{"digest":\
            "Vb3qS0xk9lQm1y2T6c8fJr4wZpN0aEoHgUiKdLsXvCc","issuedAt":"2025-08-01T08:00:00Z","keyID":"k1",\
            "ordinal":\(version)}],"id":"chl-\(n)","openedAt":"2025-08-01T08:00:00Z","purpose":"ptk",\
            "state":"open","version":\(version)}
            """
        return Array(json.utf8)
    }

    static func outbox(_ n: Int, message: Int) -> [UInt8] {
        let json = """
            {"attempts":[],"challengeID":"chl-\(n)","dueAt":"2025-08-01T08:00:00Z","id":"msg-\(n)-\(message)",\
            "issuedAt":"2025-08-01T08:00:00Z","language":"id","messageID":"<\(hex(n, width: 12)).\(message)@\
            verifikasi.datadik.kemdikbud.go.id>","ordinal":\(message),"purpose":"ptk","recipient":"\(email(n))",\
            "recipientName":"Guru Nomor \(n) S.Pd.","school":{"name":"SD Negeri \(n % 997) Contoh","npsn":\
            "\(npsn(n))","timeZone":"WIB"},"sealed":{"digits":"419027","keyID":"k1"},"state":"queued"}
            """
        return Array(json.utf8)
    }

    static func event(_ n: Int, kind: String, serial: Int) -> [UInt8] {
        let json = """
            {"account":"\(accountID(n))","actor":"\(accountID(n))","at":"2025-08-01T08:00:00Z",\
            "challenge":"chl-\(n)","id":"evt-\(n)-\(serial)","kind":"\(kind)","school":"\(npsn(n))"}
            """
        return Array(json.utf8)
    }

    /// A fixed-width, sortable due time for the outbox index.
    static func due(_ n: Int, message: Int) -> String {
        "\(digits(1_754_035_200 + message, width: 12))|msg-\(n)-\(message)"
    }

    private static func hex(_ value: Int, width: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func digits(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
