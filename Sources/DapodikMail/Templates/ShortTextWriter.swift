// Writing a short text (a date, a time) straight into a string's storage.

/// Writes bytes into a buffer of fixed size, such as the storage of
/// `String(unsafeUninitializedCapacity:initializingUTF8With:)`, so a short text needs no array in
/// between. Writing past the end stops the process instead of overwriting memory; callers size the
/// buffer for their longest text.
struct ShortTextWriter: ByteAppending {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    /// How many bytes have been written.
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    mutating func append(_ byte: UInt8) {
        precondition(count < buffer.count, "short text longer than its buffer")
        buffer[count] = byte
        count += 1
    }

    mutating func append(_ text: String) {
        for byte in text.utf8 { append(byte) }
    }

    /// Appends what ``appendPadded(_:width:to:)`` appends.
    mutating func appendPadded(_ value: Int, width: Int) {
        DapodikMail.appendPadded(value, width: width, to: &self)
    }
}
