import DapodikCrypto
import DapodikLanguage
import Foundation
import Testing

@testable import DapodikAccounts

struct PBKDF2PasswordHasherTests {
    /// Few iterations, so the tests are quick; the default parameters are proven once below.
    static let quick = PBKDF2PasswordHasher(iterations: 1_000)
    static let salt = Array(UInt8(0)..<16)

    @Test("the default is PBKDF2-HMAC-SHA256, 600,000 iterations, 16-byte salt, 32-byte hash, as Python computes it")
    func defaultParameters() {
        let hasher = PBKDF2PasswordHasher()
        #expect(hasher.iterations == 600_000)
        #expect(hasher.saltLength == 16)
        #expect(hasher.hashLength == 32)
        // python3 -c 'import hashlib,base64; b=lambda x: base64.b64encode(x).decode().rstrip("=");
        //   print(b(hashlib.pbkdf2_hmac("sha256", b"Rahasia-Sekolah-2025", bytes(range(16)), 600000)))'
        let credential = hasher.hash("Rahasia-Sekolah-2025", salt: Self.salt)
        #expect(
            credential.encoded
                == "$pbkdf2-sha256$i=600000$AAECAwQFBgcICQoLDA0ODw$Rsjfz/PiQeNsBcEp4tEb3LqJaYQs+ZVW2wKok11mDmg")
    }

    @Test("verifies a credential made by Python's hashlib, normalizing the password to NFKC first")
    func verifiesPythonCredential() throws {
        let credential = PasswordCredential(
            encoded: "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU")
        #expect(try Self.quick.verify("kata sandi \u{E9}", against: credential))
        #expect(try Self.quick.verify("kata sandi e\u{301}", against: credential))
        #expect(try !Self.quick.verify("kata sandi e", against: credential))
    }

    @Test("a hash verifies its own password and no other")
    func hashAndVerify() throws {
        let credential = Self.quick.hash("guru-hebat-2025")
        #expect(credential.encoded.hasPrefix("$pbkdf2-sha256$i=1000$"))
        #expect(try Self.quick.verify("guru-hebat-2025", against: credential))
        #expect(try !Self.quick.verify("guru-hebat-2026", against: credential))
        #expect(try !Self.quick.verify("", against: credential))
    }

    @Test("hashing the same password twice gives different salts")
    func freshSalt() {
        let first = Self.quick.hash("guru-hebat-2025")
        let second = Self.quick.hash("guru-hebat-2025")
        #expect(first != second)
        let parts = first.encoded.split(separator: "$")
        #expect(parts.count == 4)
        #expect(parts[2].count == 22)  // 16 bytes, unpadded base64
        #expect(parts[3].count == 43)  // 32 bytes
    }

    @Test(
        "hashing several passwords at once gives, in order, what hashing each alone gives with the same salt",
        arguments: [0, 1, 2, 3, 5])
    func hashAllEqualsOneByOne(count: Int) {
        let passwords = (0..<count).map { "kata sandi \($0) e\u{301} \(String(repeating: "x", count: $0 * 17))" }
        let salts = (0..<count).map { index in (0..<(8 + index * 7)).map { UInt8(truncatingIfNeeded: $0 * 31 + index) }
        }
        let together = Self.quick.hashAll(passwords, salts: salts)
        #expect(together == zip(passwords, salts).map { Self.quick.hash($0, salt: $1) })
    }

    @Test("each credential of hashAll verifies its own password and not its neighbour's, each with a fresh salt")
    func hashAllVerifies() throws {
        let passwords = ["guru-hebat-2025", "guru-hebat-2026", "Rahasia-Sekolah-\u{1F512}"]
        let credentials = Self.quick.hashAll(passwords)
        try #require(credentials.count == passwords.count)
        for (index, credential) in credentials.enumerated() {
            #expect(try Self.quick.verify(passwords[index], against: credential))
            #expect(try !Self.quick.verify(passwords[(index + 1) % passwords.count], against: credential))
        }
        let salts = credentials.map { $0.encoded.split(separator: "$")[2] }
        #expect(Set(salts).count == passwords.count)
        #expect(Self.quick.hashAll(passwords) != credentials)
    }

    @Test("hashed together from many tasks, each credential verifies its own password only, with a fresh salt")
    func hashTogetherVerifies() async throws {
        // A private engine that pairs on any machine, looking for a partner every 50 iterations.
        var configured = PBKDF2PasswordHasher(iterations: 1_000, saltLength: 20, hashLength: 40)
        configured.pairing = PBKDF2Pairing(implementation: .preferred, pairs: true, chunkIterations: 50)
        let hasher = configured
        let passwords = (0..<12).map { "Guru-Teladan-\($0)-e\u{301}" }
        let credentials = await withTaskGroup(of: (Int, PasswordCredential).self) { group in
            for (index, password) in passwords.enumerated() {
                group.addTask { (index, await hasher.hashTogether(password)) }
            }
            var credentials = [PasswordCredential?](repeating: nil, count: passwords.count)
            for await (index, credential) in group { credentials[index] = credential }
            return credentials.compactMap { $0 }
        }
        try #require(credentials.count == passwords.count)
        for (index, credential) in credentials.enumerated() {
            #expect(try hasher.verify(passwords[index], against: credential))
            #expect(try !hasher.verify(passwords[(index + 1) % passwords.count], against: credential))
            #expect(!hasher.needsRehash(credential))
        }
        #expect(Set(credentials.map { $0.encoded.split(separator: "$")[2] }).count == passwords.count)
        #expect(hasher.pairing.isIdle)
    }

    @Test("a credential verifies with its own parameters, whatever the hasher's")
    func verifiesOtherParameters() throws {
        let old = PBKDF2PasswordHasher(iterations: 10, saltLength: 8, hashLength: 16).hash("sandi-lama-123")
        #expect(try Self.quick.verify("sandi-lama-123", against: old))
    }

    @Test("needs a rehash when iterations, salt length or hash length differ, or the credential is unreadable")
    func needsRehash() {
        #expect(!Self.quick.needsRehash(Self.quick.hash("x")))
        #expect(Self.quick.needsRehash(PBKDF2PasswordHasher(iterations: 999).hash("x")))
        #expect(Self.quick.needsRehash(PBKDF2PasswordHasher(iterations: 1_000, saltLength: 32).hash("x")))
        #expect(Self.quick.needsRehash(PBKDF2PasswordHasher(iterations: 1_000, hashLength: 64).hash("x")))
        #expect(Self.quick.needsRehash(PasswordCredential(encoded: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")))
        #expect(Self.quick.needsRehash(PasswordCredential(encoded: "")))
    }

    @Test(
        "a malformed stored credential is a typed error, never a crash",
        arguments: [
            "", "$", "$$", "pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256", "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw",
            "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256$i=$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256$i=01000$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256$i=-1000$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256$i=99999999999999999999$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw==$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODx$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256$i=1000$AAEC*wQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU$",
        ])
    func malformed(_ encoded: String) {
        let error = #expect(throws: PasswordHashError.self) {
            try Self.quick.verify("x", against: PasswordCredential(encoded: encoded))
        }
        #expect(error?.code == .malformed)
        #expect(Self.quick.needsRehash(PasswordCredential(encoded: encoded)))
    }

    @Test("another scheme's credential is reported as unsupported")
    func unsupportedScheme() {
        let error = #expect(throws: PasswordHashError.self) {
            try Self.quick.verify(
                "x", against: PasswordCredential(encoded: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"))
        }
        #expect(error?.code == .unsupportedScheme)
        #expect(error?.message(in: .english).contains("not supported") == true)
    }

    @Test(
        "parameters that could exhaust the machine or prove nothing are refused before any work",
        arguments: [
            // 10,000,001 iterations: one more than accepted.
            "$pbkdf2-sha256$i=10000001$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256$i=0$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            // A 7-byte salt and a 15-byte hash.
            "$pbkdf2-sha256$i=1000$AAECAwQFBg$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU",
            "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6",
        ])
    func outOfRange(_ encoded: String) {
        let error = #expect(throws: PasswordHashError.self) {
            try Self.quick.verify("x", against: PasswordCredential(encoded: encoded))
        }
        #expect(error?.code == .parametersOutOfRange)
    }
}

struct PasswordCredentialTests {
    static let credential = PasswordCredential(
        encoded: "$pbkdf2-sha256$i=1000$AAECAwQFBgcICQoLDA0ODw$fxjkRoK7aCaOH+Z6bKd6Kw2XMOaktj6Wh2bjkzp6lXU")

    @Test("is never printed: description, debug description, interpolation and dump show bullets")
    func neverPrinted() {
        let credential = Self.credential
        #expect(credential.description == "••••")
        #expect("\(credential)" == "••••")
        #expect(String(reflecting: credential) == "PasswordCredential(••••)")
        var dumped = ""
        dump(credential, to: &dumped)
        #expect(!dumped.contains("pbkdf2"))
        var account = Fixtures.account(.ptk)
        account.password = credential
        #expect(!String(describing: account).contains("pbkdf2"))
    }

    @Test("round-trips through JSON as its encoded string")
    func codable() throws {
        let data = try JSONEncoder().encode(Self.credential)
        #expect(try JSONDecoder().decode(PasswordCredential.self, from: data) == Self.credential)
    }
}

struct Base64NoPaddingTests {
    @Test(
        "matches RFC 4648 §10's vectors without padding",
        arguments: [
            ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ])
    func vectors(_ plain: String, _ encoded: String) {
        #expect(Base64NoPadding.encode(Array(plain.utf8)) == encoded)
        #expect(Base64NoPadding.decode(Substring(encoded)) == Array(plain.utf8))
    }

    @Test("reads back only canonical encodings", arguments: ["Zg==", "Zh", "Zm9", "Z", "Zm9v\n", "Zm-v"])
    func strict(_ encoded: String) {
        // "Zh" carries stray bits; "Zm9" is 2 bytes with stray bits; "Z" is no whole byte.
        #expect(Base64NoPadding.decode(Substring(encoded)) == nil)
    }

    @Test("round-trips every length from 0 to 70 over all byte values")
    func roundTrip() {
        for length in 0...70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            #expect(Base64NoPadding.decode(Substring(Base64NoPadding.encode(bytes))) == bytes)
        }
    }
}

struct PBKDF2EqualCostTests {
    static let current = PBKDF2PasswordHasher(iterations: 1_500)

    @Test("an unknown account, a current hash, an outdated one and a damaged one all cost the current work")
    func equalWork() throws {
        let outdated = PBKDF2PasswordHasher(iterations: 1_000).hash("guru-hebat-2025")
        let fresh = Self.current.hash("guru-hebat-2025")
        let damaged = PasswordCredential(encoded: "$pbkdf2-sha256$i=1000$rusak")
        let work = [
            Self.current.verifyCountingWork("guru-hebat-2025", against: outdated),
            Self.current.verifyCountingWork("salah", against: outdated),
            Self.current.verifyCountingWork("guru-hebat-2025", against: fresh),
            Self.current.verifyCountingWork("guru-hebat-2025", against: nil),
            Self.current.verifyCountingWork("guru-hebat-2025", against: damaged),
        ]
        #expect(work.map(\.work) == Array(repeating: 1_500, count: 5))
        #expect(work.map(\.matches) == [true, false, true, false, false])
        #expect(Self.current.verifyEqualizingCost("guru-hebat-2025", against: outdated))
    }

    @Test("checked together from many tasks, each answer and its work are those of a check alone")
    func together() async {
        // A private engine that pairs on any machine, looking for a partner every 50 iterations.
        var configured = Self.current
        configured.pairing = PBKDF2Pairing(implementation: .preferred, pairs: true, chunkIterations: 50)
        let hasher = configured
        let outdated = PBKDF2PasswordHasher(iterations: 1_000).hash("guru-hebat-2025")
        let long = PBKDF2PasswordHasher(iterations: 700, hashLength: 64).hash("guru-hebat-2025")
        let fresh = Self.current.hash("guru-hebat-2025")
        let damaged = PasswordCredential(encoded: "$pbkdf2-sha256$i=1000$rusak")
        let checks: [(password: String, credential: PasswordCredential?)] = Array(
            repeating: [
                ("guru-hebat-2025", outdated), ("salah", outdated), ("guru-hebat-2025", fresh), ("salah", fresh),
                ("guru-hebat-2025", long), ("guru-hebat-2025", nil), ("guru-hebat-2025", damaged),
            ], count: 4
        ).flatMap { $0 }
        let outcomes = await withTaskGroup(of: (Int, Bool, Int).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask {
                    let outcome = await hasher.verifyCountingWorkTogether(check.password, against: check.credential)
                    return (index, outcome.matches, outcome.work)
                }
            }
            var outcomes = [(matches: Bool, work: Int)](repeating: (false, 0), count: checks.count)
            for await (index, matches, work) in group { outcomes[index] = (matches, work) }
            return outcomes
        }
        let alone = checks.map { hasher.verifyCountingWork($0.password, against: $0.credential) }
        #expect(outcomes.map(\.matches) == alone.map(\.matches))
        #expect(outcomes.map(\.work) == alone.map(\.work))
        #expect(
            alone.map(\.matches)
                == Array(repeating: [true, false, true, false, true, false, false], count: 4).flatMap { $0 })
        #expect(await hasher.verifyEqualizingCostTogether("guru-hebat-2025", against: fresh))
        #expect(await !hasher.verifyEqualizingCostTogether("salah", against: fresh))
        #expect(hasher.pairing.isIdle)
    }

    @Test("work counts output blocks: a 64-byte hash is two blocks per iteration")
    func workCountsBlocks() {
        let long = PBKDF2PasswordHasher(iterations: 1_000, hashLength: 64)
        #expect(long.verifyCountingWork("x", against: nil).work == 2_000)
        // An old 32-byte hash checked by the 64-byte hasher is padded to the same 2,000.
        let short = PBKDF2PasswordHasher(iterations: 1_000).hash("x")
        #expect(long.verifyCountingWork("x", against: short) == (true, 2_000))
    }
}
