#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

extension Crypto {
    /// A new random UUID (RFC 9562 §5.4, version 4) from one request of 16 bytes to the kernel's
    /// cryptographically secure generator.
    ///
    /// The package's one way to make a UUID. Foundation's `UUID()` opens, reads and closes
    /// `/dev/urandom` on every call on Linux (three system calls); this is one `getrandom(2)`.
    /// - Returns: The UUID: 122 random bits, the version and the variant set.
    package static func randomUUID() -> UUID {
        var generator = SecureRandomGenerator()
        return randomUUID(using: &generator)
    }

    /// A version-4 UUID (RFC 9562 §5.4) from 16 bytes of `source`, drawn in one ``RandomBytesSource/fill(_:)``:
    /// the high four bits of octet 6 become the version `0100`, the two high bits of octet 8 the
    /// variant `10`; the other 122 bits are the source's.
    /// - Parameter source: The random bytes; the library passes only ``SecureRandomGenerator``.
    /// - Returns: The UUID.
    package static func randomUUID(using source: inout some RandomBytesSource) -> UUID {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { source.fill($0) }
        bytes.6 = (bytes.6 & 0x0F) | 0x40
        bytes.8 = (bytes.8 & 0x3F) | 0x80
        return UUID(uuid: bytes)
    }
}
