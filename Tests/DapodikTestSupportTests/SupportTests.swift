import DapodikTestSupport
import Testing

struct SupportTests {
    @Test("the seeded generator repeats its sequence for a seed (SplitMix64's published first output)")
    func seededGenerator() {
        var first = SeededGenerator(seed: 0)
        var second = SeededGenerator(seed: 0)
        let values = (0..<4).map { _ in first.next() }
        #expect(values == (0..<4).map { _ in second.next() })
        #expect(values[0] == 0xE220_A839_7B1D_CDAF)
        var other = SeededGenerator(seed: 1)
        #expect(other.next() != values[0])
    }

    @Test("the code is the first line of exactly six digits, spaces aside")
    func codeInMessage() {
        #expect(verificationCode(in: "Kode Anda:\r\n  482913  \r\nberlaku 30 menit (1234567)") == "482913")
        #expect(verificationCode(in: "NPSN 20100101\n12345\n١٢٣٤٥٦\n000042\n") == "000042")
        #expect(verificationCode(in: "no code here") == nil)
    }
}
