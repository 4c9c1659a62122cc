import Testing

@testable import DapodikCrypto

@Suite("PBKDF2-HMAC-SHA256 (RFC 8018, RFC 7914 §11)")
struct PBKDF2Tests {
    @Test(
        "derives RFC 7914 §11's first vector: P=\"passwd\", S=\"salt\", c=1, dkLen=64",
        arguments: SHA256Implementation.available)
    func rfc7914First(implementation: SHA256Implementation) {
        let derived = Crypto.pbkdf2SHA256(
            password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64,
            implementation: implementation)
        let expected = bytes(
            hex: "55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05 f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc"
                + "49 ca 9c cc f1 79 b6 45 99 16 64 b3 9d 77 ef 31 7c 71 b8 45 b1 e3 0b d5 09 11 20 41 d3 a1 97 83")
        #expect(derived == expected)
    }

    @Test(
        "derives RFC 7914 §11's second vector: P=\"Password\", S=\"NaCl\", c=80000, dkLen=64",
        arguments: SHA256Implementation.available)
    func rfc7914Second(implementation: SHA256Implementation) {
        let derived = Crypto.pbkdf2SHA256(
            password: Array("Password".utf8), salt: Array("NaCl".utf8), iterations: 80_000, length: 64,
            implementation: implementation)
        let expected = bytes(
            hex: "4d dc d8 f6 0b 98 be 21 83 0c ee 5e f2 27 01 f9 64 1a 44 18 d0 4c 04 14 ae ff 08 87 6b 34 ab 56"
                + "a1 d4 25 a1 22 58 33 54 9a db 84 1b 51 c9 b3 17 6a 27 2b de bb a1 d0 78 47 8f 62 b3 97 f3 3c 8d")
        #expect(derived == expected)
    }

    @Test(
        "a shorter derived key is a prefix of a longer one",
        arguments: [1, 31, 32, 33, 63, 64, 65], SHA256Implementation.available)
    func prefixProperty(length: Int, implementation: SHA256Implementation) {
        let long = Crypto.pbkdf2SHA256(
            password: Array("pw".utf8), salt: [1, 2, 3], iterations: 3, length: 96, implementation: implementation)
        let short = Crypto.pbkdf2SHA256(
            password: Array("pw".utf8), salt: [1, 2, 3], iterations: 3, length: length, implementation: implementation)
        #expect(short == Array(long.prefix(length)))
    }

    @Test(
        "equals HMAC chained by hand (RFC 8018 §5.2) for a key longer than one block",
        arguments: SHA256Implementation.available)
    func matchesDefinition(implementation: SHA256Implementation) {
        let password = [UInt8](repeating: 0x42, count: 100)
        let salt = Array("salt".utf8)
        var u = Crypto.hmacSHA256(key: password, message: salt + [0, 0, 0, 1])
        var t = u
        for _ in 2...5 {
            u = Crypto.hmacSHA256(key: password, message: u)
            t = zip(t, u).map { $0 ^ $1 }
        }
        #expect(
            Crypto.pbkdf2SHA256(
                password: password, salt: salt, iterations: 5, length: 32, implementation: implementation)
                == t)
    }

    @Test(
        "two derivations at once equal the two derived one by one (every lane, key and salt length, iteration count)",
        arguments: [1, 31, 32, 33, 64, 65], SHA256Implementation.available)
    func twoAtOnce(length: Int, implementation: SHA256Implementation) {
        let passwords: [[UInt8]] = [[], Array("pw".utf8), [UInt8](repeating: 0x61, count: 64), Array(0..<100)]
        let salts: [[UInt8]] = [[], Array("salt".utf8), Array(0..<40)]
        for iterations in [1, 2, 3, 1_000] {
            for (first, second) in zip(passwords, passwords.reversed()) {
                for (firstSalt, secondSalt) in zip(salts, salts.reversed()) {
                    let together = Crypto.pbkdf2SHA256(
                        (first, firstSalt), (second, secondSalt), iterations: iterations, length: length,
                        implementation: implementation)
                    let alone = (
                        Crypto.pbkdf2SHA256(
                            password: first, salt: firstSalt, iterations: iterations, length: length,
                            implementation: implementation),
                        Crypto.pbkdf2SHA256(
                            password: second, salt: secondSalt, iterations: iterations, length: length,
                            implementation: implementation)
                    )
                    #expect(together.first == alone.0, "\(iterations) iterations")
                    #expect(together.second == alone.1, "\(iterations) iterations")
                }
            }
        }
    }

    @Test(
        "two derivations at once give RFC 7914 §11's second vector in either lane",
        arguments: SHA256Implementation.available)
    func twoAtOnceVector(implementation: SHA256Implementation) {
        let expected = bytes(
            hex: "4d dc d8 f6 0b 98 be 21 83 0c ee 5e f2 27 01 f9 64 1a 44 18 d0 4c 04 14 ae ff 08 87 6b 34 ab 56"
                + "a1 d4 25 a1 22 58 33 54 9a db 84 1b 51 c9 b3 17 6a 27 2b de bb a1 d0 78 47 8f 62 b3 97 f3 3c 8d")
        let vector = (password: Array("Password".utf8), salt: Array("NaCl".utf8))
        let other = (password: Array("passwd".utf8), salt: Array("salt".utf8))
        let firstLane = Crypto.pbkdf2SHA256(
            vector, other, iterations: 80_000, length: 64, implementation: implementation)
        let secondLane = Crypto.pbkdf2SHA256(
            other, vector, iterations: 80_000, length: 64, implementation: implementation)
        #expect(firstLane.first == expected)
        #expect(secondLane.second == expected)
        #expect(firstLane.second == secondLane.first)
        #expect(firstLane.second != expected)
    }
}
