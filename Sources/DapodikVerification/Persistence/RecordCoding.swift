// How a stored record becomes bytes: one JSON document per record, with sorted keys and dates as
// seconds since 1970, so a value round-trips exactly and the same value always has the same bytes.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The JSON coding of every stored record.
enum RecordCoding {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return try encoder.encode(value)
    }

    /// The instants a stored record may carry: 1970 to the end of 9999. Outside them a date is
    /// damaged data, refused here so no arithmetic on it (milliseconds for the due index, say)
    /// can overflow.
    static let storedDates = 0.0...253_402_300_799.0

    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let seconds = try container.decode(Double.self)
            guard storedDates.contains(seconds) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "date out of range")
            }
            return Date(timeIntervalSince1970: seconds)
        }
        return try decoder.decode(type, from: data)
    }
}
