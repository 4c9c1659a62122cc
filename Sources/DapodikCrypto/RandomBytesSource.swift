/// Something that fills a buffer with random bytes in one request: the kernel's CSPRNG through
/// ``SecureRandomGenerator`` in the library, a seeded source in tests.
///
/// The package draws every random value of more than 8 bytes (a UUID, a MIME boundary, a salt, a
/// key) through one ``fill(_:)``, so each costs one system call instead of one per 8 bytes.
package protocol RandomBytesSource {
    /// Overwrites every byte of `buffer` with random bytes.
    /// - Parameter buffer: The bytes to fill; may be empty.
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer)
}
