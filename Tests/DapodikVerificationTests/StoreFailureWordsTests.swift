import DapodikLanguage
import DapodikStorageContract
import Foundation
import Testing

@testable import DapodikVerification

/// What a person is told when the store fails: a store out of reach is "busy, try again" (nothing was
/// changed), and a record that does not decode is named, with what is wrong in it.
@Suite(.timeLimit(.minutes(10)))
struct StoreFailureWordsTests {
    @Test("a store out of reach for now is busy (try again), with the store's own words; an I/O error is storage")
    func transientStoreIsBusy() async throws {
        let harness = try Harness.make(.memory)
        let failing = FailingAtCallStore(harness.store)
        let service = harness.sibling { $0.store = failing }
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)

        failing.arm(failingCall: 1, with: .unavailable)
        let busy = await #expect(throws: VerificationError.self) {
            _ = try await service.requestCode(for: ptk.id, by: ptk.id)
        }
        #expect(busy?.code == .busy, "\(String(describing: busy))")
        #expect(busy?.message.english == "The disk failed.")
        failing.arm(failingCall: 1)
        let storage = await #expect(throws: VerificationError.self) {
            _ = try await service.requestCode(for: ptk.id, by: ptk.id)
        }
        #expect(storage?.code == .storage, "\(String(describing: storage))")
    }

    @Test("a record whose document does not decode is named with what is wrong, in the language asked for")
    func unreadableRecordIsNamed() throws {
        let key = RecordKey(collection: "accounts", id: "budi")
        let damaged = Record(key: key, version: 3, value: Data("{\"name\": ".utf8), indexes: [], sequence: 9)
        let error = #expect(throws: UnreadableRecord.self) { _ = try Loaded<Account>(decoding: damaged) }
        let wrapped = VerificationError.storage(try #require(error))
        #expect(wrapped.message.english.contains("The stored record accounts/budi cannot be read"), "\(wrapped)")
        #expect(wrapped.message.english.contains("not valid JSON"), "\(wrapped.message.english)")
        #expect(wrapped.message.indonesian.contains("Rekaman tersimpan accounts/budi tidak dapat dibaca"))
        #expect(wrapped.message.indonesian.contains("bukan JSON yang sah"), "\(wrapped.message.indonesian)")
        #expect(!wrapped.message.indonesian.contains("not valid"))

        let missing = Record(key: key, version: 3, value: Data("{}".utf8), indexes: [], sequence: 9)
        let keyError = #expect(throws: UnreadableRecord.self) { _ = try Loaded<Account>(decoding: missing) }
        #expect(keyError?.message.english.contains("no \"") == true, "\(String(describing: keyError))")
    }
}
