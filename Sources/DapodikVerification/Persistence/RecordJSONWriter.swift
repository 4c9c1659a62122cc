#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Writes a stored document byte for byte as `RecordCoding`'s `JSONEncoder` does (sorted keys, dates
/// as seconds since 1970, no whitespace), without its cost: the hot records of the verification cycle
/// write their fields straight into one buffer, in the sorted order their conformance names, and the
/// document's `Data` is made at its size from that buffer (``finish()``).
///
/// Foundation's rules this reproduces (pinned against `JSONEncoder` by `RecordJSONTests`): `"`, `\`
/// and `/` are escaped with a backslash, so are backspace, form feed, line feed, carriage return and
/// tab; other control characters below U+0020 as `\u00xx` (lower-case hex); everything else as its
/// UTF-8 bytes. A number is its Swift `description`, without a trailing `.0` (a date's digits come
/// from ``ExactDecimal`` when it covers the value: the same digits, pinned by `ExactDecimalTests`). An
/// absent optional is left out.
///
/// Not copyable: it owns its buffer, which it frees when it ends.
struct RecordJSONWriter: ~Copyable {
    private var buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Whether the next key or array element is the first of its object or array (no comma).
    private var atFirstMember = true

    init(capacity: Int = 512) {
        self.capacity = max(capacity, 64)
        buffer = .allocate(capacity: self.capacity)
    }

    deinit { buffer.deallocate() }

    /// The document written, as `Data` of exactly its size.
    ///
    /// The bytes are copied out rather than the buffer handed over: a store keeps the `Data` as long as
    /// the record lives, and the buffer is made with room to spare (512 bytes for a 300-byte event, 1,024
    /// for a 700-byte outbox message). The buffer itself is freed at once and so is reused by the next
    /// document. In the verification cycle this keeps 1.5 KiB less of the in-memory store's heap per
    /// cycle for one copy of each document (`Documentation/PerformanceHistory.md`).
    consuming func finish() -> Data {
        Data(bytes: buffer, count: count)
    }

    mutating func beginObject() {
        append(UInt8(ascii: "{"))
        atFirstMember = true
    }

    mutating func endObject() {
        append(UInt8(ascii: "}"))
        atFirstMember = false
    }

    mutating func beginArray() {
        append(UInt8(ascii: "["))
        atFirstMember = true
    }

    mutating func endArray() {
        append(UInt8(ascii: "]"))
        atFirstMember = false
    }

    /// Starts an array element: the comma before every element but the first.
    mutating func element() {
        if !atFirstMember { append(UInt8(ascii: ",")) }
        atFirstMember = false
    }

    /// Writes `"name":`. Names are the coding keys of the stored types: ASCII needing no escape.
    mutating func key(_ name: StaticString) {
        reserve(name.utf8CodeUnitCount + 4)
        if !atFirstMember { put(UInt8(ascii: ",")) }
        put(UInt8(ascii: "\""))
        name.withUTF8Buffer { put($0) }
        put(UInt8(ascii: "\""))
        put(UInt8(ascii: ":"))
        atFirstMember = true
    }

    /// Writes an empty object, `{}` (an enum case without values, as synthesized `Codable` writes it).
    mutating func emptyObject() {
        beginObject()
        endObject()
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            append(UInt8(ascii: "\""))
            putEscaped(utf8)
            append(UInt8(ascii: "\""))
        }
        atFirstMember = false
    }

    /// An e-mail address as ``string(_:)`` writes its `value`, written from its two parts (no
    /// `String` of the whole address is made).
    mutating func email(_ address: EmailAddress) {
        var localPart = address.localPart
        var domain = address.domain
        append(UInt8(ascii: "\""))
        localPart.withUTF8 { putEscaped($0) }
        append(UInt8(ascii: "@"))
        domain.withUTF8 { putEscaped($0) }
        append(UInt8(ascii: "\""))
        atFirstMember = false
    }

    /// Writes the UTF-8 bytes of a string's contents (no quotes), escaped as `JSONEncoder` escapes them.
    private mutating func putEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var index = JSONByteScan.firstSpecial(in: UnsafeRawBufferPointer(utf8), from: 0, slash: true)
        while index < utf8.count {
            let byte = utf8[index]
            let escape: UInt8
            switch byte {
            case 0x08: escape = UInt8(ascii: "b")
            case 0x0C: escape = UInt8(ascii: "f")
            case 0x0A: escape = UInt8(ascii: "n")
            case 0x0D: escape = UInt8(ascii: "r")
            case 0x09: escape = UInt8(ascii: "t")
            case 0..<0x20: escape = 0
            default: escape = byte
            }
            // The bytes since the last escape and this escape's longest form (`\u00xx`).
            reserve(index - start + 6)
            put(UnsafeBufferPointer(rebasing: utf8[start..<index]))
            put(UInt8(ascii: "\\"))
            if escape == 0 {
                put(UInt8(ascii: "u"))
                put(UInt8(ascii: "0"))
                put(UInt8(ascii: "0"))
                put(Self.hexDigit(byte >> 4))
                put(Self.hexDigit(byte & 0x0F))
            } else {
                put(escape)
            }
            start = index + 1
            index = JSONByteScan.firstSpecial(in: UnsafeRawBufferPointer(utf8), from: start, slash: true)
        }
        reserve(utf8.count - start)
        put(UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    /// An integer as its `description` writes it.
    mutating func integer(_ value: some FixedWidthInteger) {
        if value < 0 { append(UInt8(ascii: "-")) }
        digits(UInt64(value.magnitude), fractionDigits: 0)
        atFirstMember = false
    }

    /// A date as seconds since 1970, as `JSONEncoder.DateEncodingStrategy.secondsSince1970` writes it.
    /// - Throws: `EncodingError.invalidValue` for a date whose seconds are not finite, as `JSONEncoder`.
    mutating func date(_ value: Date) throws {
        try double(value.timeIntervalSince1970)
    }

    mutating func double(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "Unable to encode \(value) in JSON"))
        }
        if let (significand, fractionDigits) = ExactDecimal.shortest(value) {
            digits(significand, fractionDigits: fractionDigits)
        } else {
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            text.withUTF8 { utf8 in
                reserve(utf8.count)
                put(utf8)
            }
        }
        atFirstMember = false
    }

    mutating func bool(_ value: Bool) {
        let literal: StaticString = value ? "true" : "false"
        literal.withUTF8Buffer { literal in
            reserve(literal.count)
            put(literal)
        }
        atFirstMember = false
    }

    /// A UUID as `JSONEncoder` writes it: its upper-case `uuidString`, in quotes.
    mutating func uuid(_ value: UUID) {
        reserve(38)
        put(UInt8(ascii: "\""))
        withUnsafeBytes(of: value.uuid) { bytes in
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 { put(UInt8(ascii: "-")) }
                put(Self.upperHexDigit(bytes[index] >> 4))
                put(Self.upperHexDigit(bytes[index] & 0x0F))
            }
        }
        put(UInt8(ascii: "\""))
        atFirstMember = false
    }

    /// `bytes` in Base64 as a JSON string: what ``string(_:)`` writes for `Data.base64EncodedString()`
    /// (RFC 4648 §4: the standard alphabet, `=` padding, no line breaks; `/` escaped as `\/`).
    mutating func base64(_ bytes: [UInt8]) {
        // Four digits per three bytes, each at most two bytes written (`\/`), and the quotes.
        reserve((bytes.count + 2) / 3 * 8 + 2)
        put(UInt8(ascii: "\""))
        var index = 0
        while index < bytes.count {
            let available = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if available > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if available > 2 { group |= UInt32(bytes[index + 2]) }
            putBase64Digit(group >> 18)
            putBase64Digit(group >> 12)
            if available > 1 { putBase64Digit(group >> 6) } else { put(UInt8(ascii: "=")) }
            if available > 2 { putBase64Digit(group) } else { put(UInt8(ascii: "=")) }
            index += 3
        }
        put(UInt8(ascii: "\""))
        atFirstMember = false
    }

    /// Writes the Base64 digit of the low six bits of `value` (into room made by ``reserve(_:)``).
    private mutating func putBase64Digit(_ value: UInt32) {
        let digit = UInt8(truncatingIfNeeded: value & 0x3F)
        switch digit {
        case 0..<26: put(UInt8(ascii: "A") + digit)
        case 26..<52: put(UInt8(ascii: "a") + digit - 26)
        case 52..<62: put(UInt8(ascii: "0") + digit - 52)
        case 62: put(UInt8(ascii: "+"))
        default:
            put(UInt8(ascii: "\\"))
            put(UInt8(ascii: "/"))
        }
    }

    /// The decimal digits of `significand`, with a point before the last `fractionDigits` of them
    /// (which must be fewer than its digits).
    private mutating func digits(_ significand: UInt64, fractionDigits: Int) {
        // At most 20 digits and a point, written backwards from the end of the room made.
        reserve(21)
        var end = buffer + count + 21
        let last = end
        var value = significand
        var written = 0
        repeat {
            if fractionDigits > 0, written == fractionDigits {
                end -= 1
                end.pointee = UInt8(ascii: ".")
            }
            end -= 1
            end.pointee = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
            value /= 10
            written += 1
        } while value > 0
        let length = last - end
        UnsafeMutableRawPointer(buffer + count).copyMemory(from: end, byteCount: length)  // may overlap
        count += length
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private static func upperHexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    private mutating func append(_ byte: UInt8) {
        reserve(1)
        put(byte)
    }

    /// Makes room for `extra` more bytes: the `put`s after it may write that many.
    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let grown = max(capacity * 2, count + extra)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.initialize(from: buffer, count: count)
        buffer.deallocate()
        buffer = larger
        capacity = grown
    }

    /// Writes one byte into room made by ``reserve(_:)``.
    private mutating func put(_ byte: UInt8) {
        buffer[count] = byte
        count += 1
    }

    /// Writes `bytes` into room made by ``reserve(_:)``.
    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (buffer + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }
}
