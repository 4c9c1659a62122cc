import Testing

@testable import DapodikCodes

/// The key check value that tells two keys apart without revealing either.
struct CodeKeyCheckValueTests {
    @Test("the check value is HKDF-Expand under its own label, as Python's hmac computes it, 16 hex digits")
    func knownAnswer() throws {
        // python3 -c 'import hmac,hashlib; print(hmac.new(bytes([7]*32),
        //   b"dapodik-verification-key-check-v1\x01", hashlib.sha256).hexdigest()[:16])'
        let key = try CodeKey(id: CodeKeyID("k1"), material: [UInt8](repeating: 7, count: 32))
        #expect(key.checkValue == "ca42ffbb9dfd8d8b")
    }

    @Test("the same material under any id gives the same value; other material another")
    func distinguishes() throws {
        let material = [UInt8](repeating: 1, count: 32)
        let one = try CodeKey(id: CodeKeyID("k1"), material: material)
        let same = try CodeKey(id: CodeKeyID("k9"), material: material)
        let other = try CodeKey(id: CodeKeyID("k1"), material: [UInt8](repeating: 2, count: 32))
        #expect(one.checkValue == same.checkValue)
        #expect(one.checkValue != other.checkValue)
    }
}
