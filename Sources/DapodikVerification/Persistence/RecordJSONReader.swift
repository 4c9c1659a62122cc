#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads a stored document of exactly the shape ``RecordJSONWriter`` writes (and `JSONEncoder` wrote
/// before it): no whitespace, keys in the writer's order, numbers and dates as the writer spells them,
/// straight from the bytes.
///
/// It is only a fast path: every method throws ``Unexpected`` on anything else (another key, another
/// order, whitespace, `null`, a number form the writer never writes, a lone surrogate, invalid UTF-8),
/// and ``RecordCoding/decode(_:from:fast:)`` then decodes the whole document with `JSONDecoder`, so
/// what is accepted and which error a damaged document gives never depend on this reader.
struct RecordJSONReader {
    /// The document is not of the writer's shape; decode it the general way.
    struct Unexpected: Error {}

    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    /// Whether the next key or array element is the first of its object or array (no comma).
    private var atFirstMember = true

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Checks that the whole document was read.
    func finish() throws(Unexpected) {
        guard position == bytes.count else { throw Unexpected() }
    }

    mutating func beginObject() throws(Unexpected) {
        try expect(UInt8(ascii: "{"))
        atFirstMember = true
    }

    mutating func endObject() throws(Unexpected) {
        try expect(UInt8(ascii: "}"))
        atFirstMember = false
    }

    mutating func beginArray() throws(Unexpected) {
        try expect(UInt8(ascii: "["))
        atFirstMember = true
    }

    /// Starts the next array element: `false` (and the array read) at its `]`.
    mutating func nextElement() throws(Unexpected) -> Bool {
        if peek() == UInt8(ascii: "]") {
            position += 1
            atFirstMember = false
            return false
        }
        if !atFirstMember { try expect(UInt8(ascii: ",")) }
        atFirstMember = false
        return true
    }

    /// Reads `"name":`.
    mutating func key(_ name: StaticString) throws(Unexpected) {
        guard hasKey(name) else { throw Unexpected() }
    }

    /// Reads `"name":` if it comes next (an optional field the writer leaves out when absent).
    mutating func hasKey(_ name: StaticString) -> Bool {
        var at = position
        if !atFirstMember {
            guard at < bytes.count, bytes[at] == UInt8(ascii: ",") else { return false }
            at += 1
        }
        let length = name.utf8CodeUnitCount
        guard at + length + 3 <= bytes.count, bytes[at] == UInt8(ascii: "\"") else { return false }
        guard matches(name, at: at + 1), bytes[at + length + 1] == UInt8(ascii: "\""),
            bytes[at + length + 2] == UInt8(ascii: ":")
        else { return false }
        position = at + length + 3
        atFirstMember = true
        return true
    }

    /// Reads `{}`.
    mutating func emptyObject() throws(Unexpected) {
        try beginObject()
        try endObject()
    }

    mutating func string() throws(Unexpected) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        position = JSONByteScan.firstSpecial(in: bytes, from: start, slash: false)
        guard position < bytes.count else { throw Unexpected() }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            let utf8 = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
            let text = try Self.text(utf8, ascii: JSONByteScan.isASCII(utf8))
            position += 1
            atFirstMember = false
            return text
        case UInt8(ascii: "\\"):
            return try escapedString(from: start)
        default:
            throw Unexpected()
        }
    }

    /// An e-mail address, validated by `EmailAddress` as it validates the string: an unescaped ASCII
    /// string straight from the document's bytes (no `String` of the whole address is made), any other
    /// through ``string()``.
    /// - Throws: ``Unexpected`` when the document is not of the writer's shape, and the address's
    ///   `ValidationError` when `EmailAddress` refuses it.
    mutating func emailAddress() throws -> EmailAddress {
        let quote = position
        try expect(UInt8(ascii: "\""))
        let start = position
        let end = JSONByteScan.firstSpecial(in: bytes, from: start, slash: false)
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\""),
            JSONByteScan.isASCII(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        else {
            position = quote
            return try EmailAddress(try string())
        }
        let utf8 = UnsafeRawBufferPointer(rebasing: bytes[start..<end]).assumingMemoryBound(to: UInt8.self)
        let address = try EmailAddress(utf8: utf8)
        position = end + 1
        atFirstMember = false
        return address
    }

    /// The rest of a string that has an escape at `position`, which began at `start`.
    private mutating func escapedString(from start: Int) throws(Unexpected) -> String {
        var utf8 = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        utf8.reserveCapacity(utf8.count + bytes.count - position)
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                atFirstMember = false
                let text = utf8.withUnsafeBytes { utf8 in
                    try? Self.text(utf8, ascii: !utf8.contains { $0 >= 0x80 })
                }
                guard let text else { throw Unexpected() }
                return text
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw Unexpected() }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): try appendEscapedScalar(to: &utf8)
                default: throw Unexpected()
                }
            case 0..<0x20:
                throw Unexpected()
            default:
                // The run up to the next quote, backslash or control character, in one copy.
                let runStart = position - 1
                while position < bytes.count, bytes[position] >= 0x20, bytes[position] != UInt8(ascii: "\""),
                    bytes[position] != UInt8(ascii: "\\")
                {
                    position += 1
                }
                utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
            }
        }
        throw Unexpected()
    }

    /// Reads the hex digits of a `\u` escape (and of the low surrogate after a high one).
    private mutating func appendEscapedScalar(to utf8: inout [UInt8]) throws(Unexpected) {
        var value = UInt32(try hexQuad())
        if (0xD800...0xDBFF).contains(value) {
            try expect(UInt8(ascii: "\\"))
            try expect(UInt8(ascii: "u"))
            let low = UInt32(try hexQuad())
            guard (0xDC00...0xDFFF).contains(low) else { throw Unexpected() }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw Unexpected() }
        UTF8.encode(scalar) { utf8.append($0) }
    }

    private mutating func hexQuad() throws(Unexpected) -> UInt16 {
        guard position + 4 <= bytes.count else { throw Unexpected() }
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexValue(bytes[position]) else { throw Unexpected() }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// `utf8` as a string, refusing invalid UTF-8. ASCII (`ascii`, all bytes below 0x80) is always
    /// valid, and `String(decoding:as:)` takes it as it is, without the generic validation of
    /// `String(validating:as:)`, which this toolchain does not specialize here.
    private static func text(_ utf8: UnsafeRawBufferPointer, ascii: Bool) throws(Unexpected) -> String {
        if ascii { return String(decoding: utf8, as: UTF8.self) }
        guard let text = String(validating: utf8, as: UTF8.self) else { throw Unexpected() }
        return text
    }

    /// A UUID as `JSONDecoder` reads it: a string `UUID(uuidString:)` accepts.
    ///
    /// The form the writer writes, 36 characters of hex digits (either case) and hyphens in the
    /// 8-4-4-4-12 pattern, is read straight from the bytes (Foundation's parser goes through
    /// `sscanf`); any other string is left to `UUID(uuidString:)`.
    mutating func uuid() throws(Unexpected) -> UUID {
        if let uuid = canonicalUUID() { return uuid }
        guard let uuid = UUID(uuidString: try string()) else { throw Unexpected() }
        return uuid
    }

    /// The UUID at `position` if it is a string of the canonical 8-4-4-4-12 form; `nil` (nothing read)
    /// otherwise.
    private mutating func canonicalUUID() -> UUID? {
        guard position + 38 <= bytes.count, bytes[position] == UInt8(ascii: "\""),
            bytes[position + 37] == UInt8(ascii: "\"")
        else { return nil }
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &uuid) { output in
            var offset = position + 1
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    guard bytes[offset] == UInt8(ascii: "-") else { return false }
                    offset += 1
                }
                guard let high = Self.hexValue(bytes[offset]), let low = Self.hexValue(bytes[offset + 1]) else {
                    return false
                }
                output[index] = high << 4 | low
                offset += 2
            }
            return true
        }
        guard parsed else { return nil }
        position += 38
        atFirstMember = false
        return UUID(uuid: uuid)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// An integer as the writer writes it: an optional minus and digits, no leading zero, no fraction or
    /// exponent, within `Value`'s range.
    mutating func integer<Value: FixedWidthInteger>(_: Value.Type = Value.self) throws(Unexpected) -> Value {
        let negative = peek() == UInt8(ascii: "-")
        if negative { position += 1 }
        let start = position
        var value: Value = 0
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            let digit = Value(byte - UInt8(ascii: "0"))
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { throw Unexpected() }
            value = next
            position += 1
        }
        let length = position - start
        guard length > 0, length == 1 || bytes[start] != UInt8(ascii: "0"), !negative || value != 0 else {
            throw Unexpected()
        }
        if let byte = peek(), byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw Unexpected()
        }
        atFirstMember = false
        return value
    }

    /// A finite number in JSON's grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), the value
    /// `Double(String)` reads from it.
    ///
    /// A plain decimal of at most 19 digits (what the writer writes for a date) is converted by
    /// ``ExactDecimal`` from its digits when that gives the correctly rounded value without a tie;
    /// everything else goes through `Double(String)`.
    mutating func double() throws(Unexpected) -> Double {
        let start = position
        let negative = peek() == UInt8(ascii: "-")
        if negative { position += 1 }
        let integerStart = position
        let integerDigits = skipDigits()
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
            throw Unexpected()
        }
        var fractionDigits = 0
        if peek() == UInt8(ascii: ".") {
            position += 1
            fractionDigits = skipDigits()
            guard fractionDigits > 0 else { throw Unexpected() }
        }
        var hasExponent = false
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            hasExponent = true
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw Unexpected() }
        }
        if !negative, !hasExponent, integerDigits + fractionDigits <= 19 {
            var significand: UInt64 = 0
            for byte in UnsafeRawBufferPointer(rebasing: bytes[integerStart..<position])
            where byte != UInt8(ascii: ".") {
                significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
            }
            if let value = ExactDecimal.double(significand: significand, fractionDigits: fractionDigits) {
                atFirstMember = false
                return value
            }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw Unexpected() }
        atFirstMember = false
        return value
    }

    /// A date as seconds since 1970, within ``RecordCoding/storedDates``.
    mutating func date() throws(Unexpected) -> Date {
        let seconds = try double()
        guard RecordCoding.storedDates.contains(seconds) else { throw Unexpected() }
        return Date(timeIntervalSince1970: seconds)
    }

    mutating func bool() throws(Unexpected) -> Bool {
        if hasLiteral("true") { return true }
        if hasLiteral("false") { return false }
        throw Unexpected()
    }

    private mutating func hasLiteral(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard position + length <= bytes.count else { return false }
        guard matches(literal, at: position) else { return false }
        position += length
        atFirstMember = false
        return true
    }

    /// Whether the bytes at `offset` are `text` (the caller checked that they are there).
    private func matches(_ text: StaticString, at offset: Int) -> Bool {
        text.withUTF8Buffer { text in
            for index in 0..<text.count where bytes[offset + index] != text[index] { return false }
            return true
        }
    }

    private mutating func skipDigits() -> Int {
        let start = position
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position - start
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func expect(_ byte: UInt8) throws(Unexpected) {
        guard position < bytes.count, bytes[position] == byte else { throw Unexpected() }
        position += 1
    }
}

extension RecordCoding {
    /// Decodes `data` with `read` when it is of the writer's exact shape, with `JSONDecoder` otherwise
    /// (then also every error is `JSONDecoder`'s, or the validating initializers' as it reports them).
    static func decode<Value: Decodable>(
        _ type: Value.Type, from data: Data, fast read: (inout RecordJSONReader) throws -> Value
    ) throws -> Value {
        if let value = fastDecode(data, read) { return value }
        return try decode(type, from: data)
    }

    /// `read`'s value when it reads the whole of `data` without error; `nil` otherwise.
    static func fastDecode<Value>(_ data: Data, _ read: (inout RecordJSONReader) throws -> Value) -> Value? {
        data.withUnsafeBytes { bytes in
            var reader = RecordJSONReader(bytes)
            guard let value = try? read(&reader), (try? reader.finish()) != nil else { return nil }
            return value
        }
    }
}
