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
        // A table of the sixteen digits and a counted loop, not a branch per digit (PerformanceHistory.md,
        // twenty-first pass: the service makes sixteen of these per verification cycle).
        let digits: StaticString = uppercase ? "0123456789ABCDEF" : "0123456789abcdef"
        return digits.withUTF8Buffer { digits in
            withUnsafeBytes(of: uuid) { bytes in
                String(unsafeUninitializedCapacity: 36) { text in
                    var end = 0
                    for index in 0..<16 {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            text[end] = UInt8(ascii: "-")
                            end += 1
                        }
                        let byte = bytes[index]
                        text[end] = digits[Int(byte >> 4)]
                        text[end + 1] = digits[Int(byte & 0x0F)]
                        end += 2
                    }
                    return end
                }
            }
        }
    }
}
