public import Foundation

extension SeededGenerator {
    /// A UUID of 16 random bytes, taken as they come: any version and variant, for tests that must
    /// cover every UUID, not only the ones the library makes.
    public mutating func uuid() -> UUID {
        let bytes = bytes(16)
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
