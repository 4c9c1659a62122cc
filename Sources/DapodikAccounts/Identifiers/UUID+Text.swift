#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

extension UUID {
    /// The UUID's canonical 36-character text (8-4-4-4-12 hexadecimal digits), in lower or upper case.
    ///
    /// The same characters as `uuidString` (upper case) and `uuidString.lowercased()`, written straight
    /// from the 16 bytes: Foundation's `uuidString` formats with `snprintf`, which was the largest cost
    /// left in writing the cycle's records and keys.
    /// - Parameter uppercase: Whether the digits `a`–`f` are written in upper case.
    /// - Returns: The text.
    package func text(uppercase: Bool = false) -> String {
        let letterBase = uppercase ? UInt8(ascii: "A") : UInt8(ascii: "a")
        func digit(_ nibble: UInt8) -> UInt8 {
            nibble < 10 ? UInt8(ascii: "0") + nibble : letterBase + nibble - 10
        }
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var end = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[end] = UInt8(ascii: "-")
                        end += 1
                    }
                    text[end] = digit(byte >> 4)
                    text[end + 1] = digit(byte & 0x0F)
                    end += 2
                }
                return end
            }
        }
    }
}
