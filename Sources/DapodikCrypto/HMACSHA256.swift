/// Incremental HMAC-SHA256 (RFC 2104). A keyed instance can be copied to reuse its precomputed
/// inner and outer pads, which PBKDF2 relies on.
package struct HMACSHA256: Sendable {
    private var inner: SHA256
    private var outer: SHA256

    /// An HMAC keyed with `key` (hashed first when longer than the 64-byte block).
    package init(key: [UInt8]) {
        var keyBlock = key.count > 64 ? Crypto.sha256(key) : key
        keyBlock.append(contentsOf: repeatElement(0, count: 64 - keyBlock.count))
        inner = SHA256()
        inner.update(keyBlock.map { $0 ^ 0x36 })
        outer = SHA256()
        outer.update(keyBlock.map { $0 ^ 0x5c })
    }

    /// Feeds message bytes.
    package mutating func update(_ bytes: [UInt8]) { inner.update(bytes) }

    /// The 32-byte authentication code.
    package mutating func finalize() -> [UInt8] {
        var outerCopy = outer
        outerCopy.update(inner.finalize())
        return outerCopy.finalize()
    }
}
