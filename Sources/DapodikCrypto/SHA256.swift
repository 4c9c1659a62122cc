/// Incremental SHA-256 (FIPS 180-4 §6.2): the compression function runs on the CPU's SHA
/// instructions where they exist and in pure Swift otherwise (``SHA256Implementation``).
///
/// The hasher never touches the heap while hashing: the chaining value is a tuple of eight words,
/// a partial block waits in a 64-byte inline buffer, and the pure-Swift message schedule lives in a
/// stack allocation. That is what makes PBKDF2 at 600,000 iterations fast enough (see ``Crypto``).
package struct SHA256: Sendable {
    /// The eight 32-bit words of the chaining value H(i) (FIPS 180-4 §6.2.2).
    package typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// H(0), the initial hash value (FIPS 180-4 §5.3.3).
    package static let initialState: State = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )

    /// The size of one message block, in bytes.
    package static let blockSize = 64
    /// The size of a digest, in bytes.
    package static let digestSize = 32

    private typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    private var state: State = SHA256.initialState
    private var buffer: Block = (0, 0, 0, 0, 0, 0, 0, 0)
    private var bufferCount = 0
    private var totalLength: UInt64 = 0
    private let implementation: SHA256Implementation

    /// A hasher in its initial state.
    /// - Parameter implementation: Which compression function to run; the CPU's instructions when
    ///   present unless a test asks for a particular one.
    package init(implementation: SHA256Implementation = .preferred) {
        self.implementation = implementation
    }

    /// Feeds bytes to the hash.
    /// - Parameter bytes: The next bytes of the message; may be empty.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, let base = bytes.baseAddress else { return }
        totalLength &+= UInt64(bytes.count)
        var index = 0
        let count = bytes.count
        if bufferCount > 0 {
            let take = min(Self.blockSize - bufferCount, count)
            let filled = bufferCount
            withUnsafeMutableBytes(of: &buffer) { block in
                block.baseAddress!.advanced(by: filled).copyMemory(from: base, byteCount: take)
            }
            bufferCount += take
            index = take
            if bufferCount == Self.blockSize {
                let block = buffer
                withUnsafeBytes(of: block) { implementation.compress(&state, blocks: $0.baseAddress!, count: 1) }
                bufferCount = 0
            }
        }
        let wholeBlocks = (count - index) / Self.blockSize
        if wholeBlocks > 0 {
            implementation.compress(&state, blocks: base + index, count: wholeBlocks)
            index += wholeBlocks * Self.blockSize
        }
        if index < count {
            let rest = count - index
            withUnsafeMutableBytes(of: &buffer) { block in
                block.baseAddress!.copyMemory(from: base.advanced(by: index), byteCount: rest)
            }
            bufferCount = rest
        }
    }

    /// Feeds bytes to the hash.
    /// - Parameter bytes: The next bytes of the message; may be empty.
    package mutating func update(_ bytes: some Collection<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if handled == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// The chaining value so far; only meaningful on a block boundary (after a multiple of 64
    /// bytes), which is where HMAC reads it.
    var chainingValue: State {
        precondition(bufferCount == 0, "the chaining value is read only on a block boundary")
        return state
    }

    /// Pads the message (FIPS 180-4 §5.1.1) and returns the final chaining value.
    ///
    /// The hasher must not be used afterwards.
    /// - Returns: The eight digest words, most significant first.
    package mutating func finalizeState() -> State {
        let bitLength = totalLength &* 8
        let bufferCount = self.bufferCount
        var padded: (Block, Block) = (buffer, (0, 0, 0, 0, 0, 0, 0, 0))
        let blockCount = bufferCount + 1 > Self.blockSize - 8 ? 2 : 1
        withUnsafeMutableBytes(of: &padded) { blocks in
            let bytes = blocks.baseAddress!
            bytes.storeBytes(of: 0x80, toByteOffset: bufferCount, as: UInt8.self)
            let lengthOffset = blockCount * Self.blockSize - 8
            (bytes + bufferCount + 1).initializeMemory(
                as: UInt8.self, repeating: 0, count: lengthOffset - bufferCount - 1)
            bytes.storeBytes(of: bitLength.bigEndian, toByteOffset: lengthOffset, as: UInt64.self)
        }
        withUnsafeBytes(of: padded) { implementation.compress(&state, blocks: $0.baseAddress!, count: blockCount) }
        self.bufferCount = 0
        return state
    }

    /// Pads the message and returns the 32-byte digest.
    ///
    /// The hasher must not be used afterwards.
    /// - Returns: The digest, H(N) in big-endian byte order.
    package mutating func finalize() -> [UInt8] {
        Self.bytes(of: finalizeState())
    }

    /// The big-endian bytes of a chaining value: the digest it stands for.
    /// - Parameter state: A final chaining value.
    /// - Returns: 32 bytes.
    package static func bytes(of state: State) -> [UInt8] {
        var bigEndian = (
            state.0.bigEndian, state.1.bigEndian, state.2.bigEndian, state.3.bigEndian,
            state.4.bigEndian, state.5.bigEndian, state.6.bigEndian, state.7.bigEndian
        )
        return withUnsafeBytes(of: &bigEndian) { Array($0) }
    }

    /// Reads 16 big-endian words (one block) from `source` into `words[0..<16]`.
    @inline(__always)
    package static func loadBigEndianWords(_ source: UnsafeRawPointer, into words: UnsafeMutablePointer<UInt32>) {
        for index in 0..<16 {
            words[index] = UInt32(bigEndian: source.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
        }
    }

    /// The pure-Swift compression function applied to `count` consecutive 64-byte blocks, with the
    /// message schedule on the stack.
    /// - Parameters:
    ///   - state: The chaining value, updated in place.
    ///   - blocks: `64 × count` message bytes, any alignment.
    ///   - count: The number of blocks; 0 changes nothing.
    static func portableCompress(_ state: inout State, blocks: UnsafeRawPointer, count: Int) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            let words = schedule.baseAddress!
            for block in 0..<count {
                loadBigEndianWords(blocks + block * blockSize, into: words)
                compress(&state, schedule: words)
            }
        }
    }

    /// The compression function (FIPS 180-4 §6.2.2), applied to one block.
    ///
    /// - Parameters:
    ///   - state: The chaining value, updated in place.
    ///   - schedule: Room for 64 words whose first 16 hold the block; the rest is overwritten with
    ///     the message schedule W(16)…W(63).
    @inline(__always)
    package static func compress(_ state: inout State, schedule w: UnsafeMutablePointer<UInt32>) {
        for t in 16..<64 {
            let w15 = w[t - 15]
            let w2 = w[t - 2]
            let s0 = w15.rotatedRight(7) ^ w15.rotatedRight(18) ^ (w15 &>> 3)
            let s1 = w2.rotatedRight(17) ^ w2.rotatedRight(19) ^ (w2 &>> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = state
        roundConstants.withUnsafeBufferPointer { constants in
            let k = constants.baseAddress!
            var t = 0
            while t < 64 {
                round(a, b, c, &d, e, f, g, &h, k[t] &+ w[t])
                round(h, a, b, &c, d, e, f, &g, k[t + 1] &+ w[t + 1])
                round(g, h, a, &b, c, d, e, &f, k[t + 2] &+ w[t + 2])
                round(f, g, h, &a, b, c, d, &e, k[t + 3] &+ w[t + 3])
                round(e, f, g, &h, a, b, c, &d, k[t + 4] &+ w[t + 4])
                round(d, e, f, &g, h, a, b, &c, k[t + 5] &+ w[t + 5])
                round(c, d, e, &f, g, h, a, &b, k[t + 6] &+ w[t + 6])
                round(b, c, d, &e, f, g, h, &a, k[t + 7] &+ w[t + 7])
                t += 8
            }
        }
        state = (
            state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g,
            state.7 &+ h
        )
    }
}

/// One round of FIPS 180-4 §6.2.2 step 3, written so that eight calls with the roles rotated stand
/// for eight rounds without moving the working variables between registers: `d` becomes the new
/// `e` and `h` the new `a`.
@inline(__always)
private func round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
    _ h: inout UInt32, _ constantPlusWord: UInt32
) {
    let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
    let choice = g ^ (e & (f ^ g))
    let temp1 = h &+ s1 &+ choice &+ constantPlusWord
    let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
    let majority = (a & b) | (c & (a | b))
    d = d &+ temp1
    h = temp1 &+ s0 &+ majority
}

/// K, the 64 round constants (FIPS 180-4 §4.2.2).
private let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
]

extension UInt32 {
    @inline(__always)
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 { (self &>> count) | (self &<< (32 &- count)) }
}
