import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

@Suite("CRC-32C")
struct CRC32CTests {
    @Test(
        "matches the RFC 3720 Appendix B.4 vectors and the '123456789' check value",
        arguments: CRC32C.available)
    func vectors(implementation: CRC32C.Implementation) {
        func checksum(_ bytes: [UInt8]) -> UInt32 {
            bytes.withUnsafeBytes { CRC32C.checksum($0, using: implementation) }
        }
        #expect(checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        // B.4's iSCSI SCSI Read (10) command PDU, 48 bytes.
        var readCommand = [UInt8](repeating: 0, count: 48)
        for (offset, byte) in [
            (0, 0x01), (1, 0xC0), (16, 0x14), (22, 0x04), (27, 0x14), (31, 0x18), (32, 0x28), (40, 0x02),
        ] {
            readCommand[offset] = UInt8(byte)
        }
        #expect(checksum(readCommand) == 0xD996_3A56)
        #expect(checksum([]) == 0)
    }

    @Test("is the same computed in pieces as at once, at every split", arguments: CRC32C.available)
    func continuation(implementation: CRC32C.Implementation) {
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 5) }
        bytes.withUnsafeBytes { all in
            let whole = CRC32C.checksum(all, using: implementation)
            for split in 0...bytes.count {
                let head = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: all[..<split]), using: implementation)
                let rest = UnsafeRawBufferPointer(rebasing: all[split...])
                #expect(CRC32C.checksum(rest, continuing: head, using: implementation) == whole)
            }
        }
    }

    @Test(
        "the CPU's CRC-32C instructions give the Swift code's value on random bytes of every length 0–4096, unaligned",
        .enabled(if: CRC32C.hardware != nil, "this CPU has no CRC-32C instructions: one implementation only"))
    func hardwareEqualsPortable() throws {
        let hardware = try #require(CRC32C.hardware)
        let seed = UInt64.random(in: .min ... .max)
        var generator = SeededGenerator(seed: seed)
        let buffer = generator.bytes(4096 + 16)
        var mismatches = 0
        buffer.withUnsafeBytes { all in
            func compare(start: Int, count: Int, continuing crc: UInt32) {
                let bytes = UnsafeRawBufferPointer(rebasing: all[start..<start + count])
                let expected = CRC32C.checksum(bytes, continuing: crc, using: .portable)
                let actual = CRC32C.checksum(bytes, continuing: crc, using: hardware)
                guard actual != expected else { return }
                mismatches += 1
                if mismatches <= 5 {  // the first few, then the count
                    Issue.record(
                        "seed \(seed): \(count) bytes at offset \(start) from \(crc): \(actual) != \(expected)")
                }
            }
            // Every length up to 4096 once, each at a random start (unaligned most of the time) and
            // from a random earlier CRC; the short lengths, where the head and tail loops meet, at
            // every start modulo 16 as well.
            for count in 0...4096 {
                compare(start: Int.random(in: 0...16, using: &generator), count: count, continuing: generator.word())
            }
            for count in 0...64 {
                for start in 0..<16 { compare(start: start, count: count, continuing: generator.word()) }
            }
        }
        #expect(mismatches == 0, "seed \(seed)")
    }

    @Test(
        "the CPU's CRC-32C instructions are used exactly when the machine has them and the environment allows",
        .enabled(if: Self.machineReportsCRC32CInstructions != nil, "needs /proc/cpuinfo (Linux) or Apple silicon"))
    func activeImplementationMatchesTheMachine() {
        guard let reported = Self.machineReportsCRC32CInstructions else {
            Issue.record("the machine's CRC-32C support could not be read")
            return
        }
        let portableRequested = ProcessInfo.processInfo.environment["DAPODIK_CRC32C_PORTABLE"] == "1"
        let expected = reported && !portableRequested
        print(
            "CRC-32C on this machine: \(CRC32C.preferred) (the machine reports the instructions: \(reported); "
                + "DAPODIK_CRC32C_PORTABLE=1: \(portableRequested))")
        #expect((CRC32C.hardware != nil) == expected)
        #expect((CRC32C.preferred == .hardware) == expected)
        #expect(CRC32C.available.count == (expected ? 2 : 1))
    }

    /// Whether the kernel (Linux's /proc/cpuinfo) says this CPU has the CRC-32C instructions:
    /// `sse4_2` on x86-64, `crc32` on AArch64; always on Apple silicon; `nil` where that cannot be
    /// read. An independent witness of the CPUID / getauxval detection.
    static let machineReportsCRC32CInstructions: Bool? = {
        #if os(macOS) && arch(arm64)
            return true
        #else
            guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
            #if arch(x86_64)
                let needed: (field: String, flag: String)? = ("flags", "sse4_2")
            #elseif arch(arm64)
                let needed: (field: String, flag: String)? = ("Features", "crc32")
            #else
                let needed: (field: String, flag: String)? = nil  // built without the hardware path
            #endif
            guard let needed else { return false }
            let line = cpuinfo.split(separator: "\n").first { $0.hasPrefix(needed.field) } ?? ""
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).contains {
                $0 == needed.flag
            }
        #endif
    }()
}

extension SeededGenerator {
    fileprivate mutating func word() -> UInt32 { UInt32(truncatingIfNeeded: next()) }
}
