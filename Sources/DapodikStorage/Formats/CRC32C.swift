internal import CDapodikSHA

/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78), as used by iSCSI (RFC 3720
/// §12.1, test vectors in Appendix B.4), ext4 and LevelDB: it detects all burst errors up to 32 bits
/// and every odd number of flipped bits.
///
/// Computed with the CPU's CRC-32C instructions when it has them (x86-64 SSE4.2 `CRC32`, ARMv8
/// `CRC32CX`, in the package's C target `CDapodikSHA`; detected once per process), otherwise
/// slice-by-8 in Swift from tables built once. Both give the same values, so the files do not
/// depend on the machine that wrote them. `DAPODIK_CRC32C_PORTABLE=1` in the environment forces the
/// Swift code for a whole process.
enum CRC32C {
    /// Which code computes the checksum.
    enum Implementation: Sendable, Hashable, CustomStringConvertible {
        /// Slice-by-8 in Swift, available everywhere.
        case portable
        /// The CPU's CRC-32C instructions.
        case hardware

        /// A name for test reports, such as "hardware (x86-64 SSE4.2)".
        var description: String {
            switch self {
            case .portable: "pure Swift (slice-by-8)"
            case .hardware:
                #if arch(x86_64)
                    "hardware (x86-64 SSE4.2)"
                #else
                    "hardware (ARMv8 CRC32)"
                #endif
            }
        }
    }

    /// ``Implementation/hardware`` when this CPU has the instructions, the architecture is x86-64 or
    /// AArch64 and the environment does not set `DAPODIK_CRC32C_PORTABLE=1`; otherwise `nil`.
    static let hardware: Implementation? = {
        #if arch(x86_64) || arch(arm64)
            return cdapodik_crc32c_hardware_available() ? .hardware : nil
        #else
            return nil
        #endif
    }()

    /// What the store uses: ``hardware`` when present, else ``Implementation/portable``.
    static let preferred = hardware ?? .portable

    /// Every implementation this machine can run (tests prove each of them).
    static var available: [Implementation] { [.portable] + (hardware.map { [$0] } ?? []) }

    private static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[0][byte] = crc
        }
        for byte in 0..<256 {
            for slice in 1..<8 {
                let previous = tables[slice - 1][byte]
                tables[slice][byte] = (previous >> 8) ^ tables[0][Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// The CRC-32C of `bytes`, continuing from `crc` (the CRC of the bytes before, or 0).
    @inline(__always)
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        checksum(bytes, continuing: crc, using: preferred)
    }

    /// The CRC-32C of `bytes` computed by a given implementation (tests compare them).
    static func checksum(
        _ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0, using implementation: Implementation
    ) -> UInt32 {
        #if arch(x86_64) || arch(arm64)
            if implementation == .hardware {
                return cdapodik_crc32c_hardware(crc, bytes.baseAddress, bytes.count)
            }
        #endif
        return portableChecksum(bytes, continuing: crc)
    }

    /// Slice-by-8: eight table look-ups per eight bytes.
    private static func portableChecksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32) -> UInt32 {
        var crc = ~crc
        let count = bytes.count
        guard count > 0 else { return ~crc }
        let base = bytes.baseAddress!
        var index = 0
        tables.withUnsafeBufferPointer { all in
            let t0 = all[0]
            let t1 = all[1]
            let t2 = all[2]
            let t3 = all[3]
            let t4 = all[4]
            let t5 = all[5]
            let t6 = all[6]
            let t7 = all[7]
            while count - index >= 8 {
                let low = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt32.self)) ^ crc
                let high = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
                crc =
                    t7[Int(low & 0xFF)] ^ t6[Int((low >> 8) & 0xFF)] ^ t5[Int((low >> 16) & 0xFF)]
                    ^ t4[Int(low >> 24)] ^ t3[Int(high & 0xFF)] ^ t2[Int((high >> 8) & 0xFF)]
                    ^ t1[Int((high >> 16) & 0xFF)] ^ t0[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = (crc >> 8) ^ t0[Int((crc ^ UInt32(base.load(fromByteOffset: index, as: UInt8.self))) & 0xFF)]
                index += 1
            }
        }
        return ~crc
    }

    /// The CRC-32C of a byte sequence.
    static func checksum(_ bytes: some Sequence<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        if let result = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0), continuing: crc) }
        ) {
            return result
        }
        return Array(bytes).withUnsafeBytes { checksum($0, continuing: crc) }
    }
}
