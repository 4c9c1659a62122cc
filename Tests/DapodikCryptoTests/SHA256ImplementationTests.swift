import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikCrypto

@Suite("SHA-256 in hardware and in pure Swift")
struct SHA256ImplementationTests {
    @Test(
        "the CPU's SHA instructions are used exactly when the machine has them and the environment allows",
        .enabled(if: Self.machineReportsSHAInstructions != nil, "needs /proc/cpuinfo (Linux) or Apple silicon"))
    func activeImplementationMatchesTheMachine() {
        guard let reported = Self.machineReportsSHAInstructions else {
            Issue.record("the machine's SHA support could not be read")
            return
        }
        let portableRequested = ProcessInfo.processInfo.environment["DAPODIK_SHA256_PORTABLE"] == "1"
        let expected = reported && !portableRequested
        print(
            "SHA-256 on this machine: \(SHA256Implementation.preferred) (the machine reports the instructions: "
                + "\(reported); DAPODIK_SHA256_PORTABLE=1: \(portableRequested))")
        #expect((SHA256Implementation.hardware != nil) == expected)
        #expect(SHA256Implementation.preferred.isHardware == expected)
        #expect(SHA256Implementation.available.count == (expected ? 2 : 1))
        #expect(!SHA256Implementation.portable.isHardware)
    }

    @Test(
        "the hardware compression function equals the pure-Swift one on random states and blocks",
        .enabled(if: SHA256Implementation.hardware != nil, "this CPU has no SHA instructions: one implementation only"))
    func hardwareCompressionEqualsPortable() throws {
        let hardware = try #require(SHA256Implementation.hardware)
        var generator = SeededGenerator(seed: UInt64.random(in: .min ... .max))
        for blockCount in 0...9 {
            for offset in 0..<4 {  // unaligned message pointers too
                let bytes = generator.bytes(offset + blockCount * SHA256.blockSize)
                let start = randomState(using: &generator)
                var expected = start
                var actual = start
                bytes.withUnsafeBytes { message in
                    SHA256Implementation.portable.compress(
                        &expected, blocks: message.baseAddress! + offset, count: blockCount)
                    hardware.compress(&actual, blocks: message.baseAddress! + offset, count: blockCount)
                }
                #expect(words(actual) == words(expected), "\(blockCount) blocks at offset \(offset)")
            }
        }
    }

    @Test(
        "the hardware PBKDF2 loop equals the pure-Swift one from random keyed states",
        .enabled(if: SHA256Implementation.hardware != nil, "this CPU has no SHA instructions: one implementation only"))
    func hardwarePBKDF2LoopEqualsPortable() throws {
        let hardware = try #require(SHA256Implementation.hardware)
        var generator = SeededGenerator(seed: UInt64.random(in: .min ... .max))
        for count in [0, 1, 2, 3, 17, 1000] {
            let inner = randomState(using: &generator)
            let outer = randomState(using: &generator)
            let u = randomState(using: &generator)
            let t = randomState(using: &generator)
            var (expectedU, expectedT) = (u, t)
            var (actualU, actualT) = (u, t)
            SHA256Implementation.portable.pbkdf2Iterations(
                inner: inner, outer: outer, u: &expectedU, t: &expectedT, count: count)
            hardware.pbkdf2Iterations(inner: inner, outer: outer, u: &actualU, t: &actualT, count: count)
            #expect(words(actualU) == words(expectedU), "\(count) iterations")
            #expect(words(actualT) == words(expectedT), "\(count) iterations")
        }
    }

    /// Whether the kernel (Linux's /proc/cpuinfo) says this CPU has what the hardware path needs:
    /// `sha_ni`, `ssse3` and `sse4_1` on x86-64, `sha2` on AArch64; always on Apple silicon; `nil`
    /// where that cannot be read. An independent witness of the CPUID / getauxval detection.
    /// (Under an emulator that hides the instructions from CPUID, such as Valgrind, the two disagree.)
    static let machineReportsSHAInstructions: Bool? = {
        #if os(macOS) && arch(arm64)
            return true
        #else
            guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
            #if arch(x86_64)
                let needed: (field: String, flags: [String])? = ("flags", ["sha_ni", "ssse3", "sse4_1"])
            #elseif arch(arm64)
                let needed: (field: String, flags: [String])? = ("Features", ["sha2"])
            #else
                let needed: (field: String, flags: [String])? = nil  // built without the hardware path
            #endif
            guard let needed else { return false }
            let line = cpuinfo.split(separator: "\n").first { $0.hasPrefix(needed.field) } ?? ""
            let flags = Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
            return needed.flags.allSatisfy(flags.contains)
        #endif
    }()

    private func randomState(using generator: inout SeededGenerator) -> SHA256.State {
        (
            generator.word(), generator.word(), generator.word(), generator.word(), generator.word(),
            generator.word(), generator.word(), generator.word()
        )
    }

    private func words(_ state: SHA256.State) -> [UInt32] {
        [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
    }
}

extension SeededGenerator {
    fileprivate mutating func word() -> UInt32 { UInt32(truncatingIfNeeded: next()) }
}
