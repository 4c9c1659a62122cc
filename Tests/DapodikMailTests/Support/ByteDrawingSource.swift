import DapodikCrypto

/// Random bytes drawn from `generator` the way the old renderer drew them (one
/// `UInt8.random(in: 0...255, using:)` per byte), so the renderer, which takes its bytes in one
/// request, writes the same boundary as the oracle from the same seed. It counts its requests.
struct ByteDrawingSource<Generator: RandomNumberGenerator>: RandomBytesSource {
    var generator: Generator
    /// The size of every request, in order.
    var requests: [Int] = []

    init(_ generator: Generator) { self.generator = generator }

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        requests.append(buffer.count)
        for index in buffer.indices { buffer[index] = UInt8.random(in: 0...255, using: &generator) }
    }
}
