#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Writes a stored document byte for byte as `RecordCoding`'s `JSONEncoder` does (sorted keys, dates
/// as seconds since 1970, no whitespace), without its cost: the hot records of the verification cycle
/// write their fields straight into one byte array, in the sorted order their conformance names.
///
/// Foundation's rules this reproduces (pinned against `JSONEncoder` by `RecordJSONTests`): `"`, `\`
/// and `/` are escaped with a backslash, so are backspace, form feed, line feed, carriage return and
/// tab; other control characters below U+0020 as `\u00xx` (lower-case hex); everything else as its
/// UTF-8 bytes. A number is its Swift `description`, without a trailing `.0`. An absent optional is
/// left out.
struct RecordJSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next key or array element is the first of its object or array (no comma).
    private var atFirstMember = true

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// The document as `Data`.
    var data: Data { Data(bytes) }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        atFirstMember = true
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        atFirstMember = false
    }

    mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        atFirstMember = true
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        atFirstMember = false
    }

    /// Starts an array element: the comma before every element but the first.
    mutating func element() {
        if !atFirstMember { bytes.append(UInt8(ascii: ",")) }
        atFirstMember = false
    }

    /// Writes `"name":`. Names are the coding keys of the stored types: ASCII needing no escape.
    mutating func key(_ name: StaticString) {
        if !atFirstMember { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        atFirstMember = true
    }

    /// Writes an empty object, `{}` (an enum case without values, as synthesized `Codable` writes it).
    mutating func emptyObject() {
        beginObject()
        endObject()
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                let escape: UInt8
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escape = byte
                case 0x08: escape = UInt8(ascii: "b")
                case 0x0C: escape = UInt8(ascii: "f")
                case 0x0A: escape = UInt8(ascii: "n")
                case 0x0D: escape = UInt8(ascii: "r")
                case 0x09: escape = UInt8(ascii: "t")
                case 0..<0x20: escape = 0
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                bytes.append(UInt8(ascii: "\\"))
                if escape == 0 {
                    let hex = Self.hexDigits
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0F)])
                } else {
                    bytes.append(escape)
                }
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
        atFirstMember = false
    }

    mutating func integer(_ value: some BinaryInteger) {
        bytes.append(contentsOf: String(value).utf8)
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
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
        atFirstMember = false
    }

    mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
        atFirstMember = false
    }

    /// A UUID as `JSONEncoder` writes it: its upper-case `uuidString`.
    mutating func uuid(_ value: UUID) {
        string(value.text(uppercase: true))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
}
