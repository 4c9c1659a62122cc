import DapodikStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Throws a violation unless `condition` holds.
func expect(
    _ condition: Bool, _ message: @autoclosure () -> String, file: String = #fileID, line: Int = #line
) throws(RecordStoreContractViolation) {
    guard condition else { throw RecordStoreContractViolation(message(), file: file, line: line) }
}

/// Throws a violation unless `actual` equals `expected`; the message shows both.
func expectEqual<Value: Equatable>(
    _ actual: Value, _ expected: Value, _ what: String, file: String = #fileID, line: Int = #line
) throws(RecordStoreContractViolation) {
    guard actual == expected else {
        throw RecordStoreContractViolation(
            "\(what): expected \(expected), got \(actual)", file: file, line: line)
    }
}

/// The value, or a violation when it is `nil`.
func unwrap<Value>(
    _ value: Value?, _ what: String, file: String = #fileID, line: Int = #line
) throws(RecordStoreContractViolation) -> Value {
    guard let value else {
        throw RecordStoreContractViolation("\(what): expected a value, got nil", file: file, line: line)
    }
    return value
}

/// The ``StoreError`` that `body` throws; a violation when it throws nothing or another error.
func expectStoreError(
    _ what: String, file: String = #fileID, line: Int = #line, _ body: () async throws -> Void
) async throws(RecordStoreContractViolation) -> StoreError {
    do {
        try await body()
    } catch let error as StoreError {
        return error
    } catch {
        throw RecordStoreContractViolation("\(what): expected a StoreError, got \(error)", file: file, line: line)
    }
    throw RecordStoreContractViolation("\(what): expected a StoreError, got success", file: file, line: line)
}

func key(_ collection: String, _ id: String) -> RecordKey { RecordKey(collection: collection, id: id) }

func bytes(_ text: String) -> Data { Data(text.utf8) }

func text(_ record: Record?) -> String? { record.map { String(decoding: $0.value, as: UTF8.self) } }
