import DapodikAccounts
import Foundation
import Testing

@testable import DapodikVerification

/// Foundation's `localizedDescription`, the first thing many apps show of an error, is the library's
/// own Indonesian message, not "The operation could not be completed".
struct LocalizedDescriptionTests {
    @Test("every kind of library error gives its Indonesian message as localizedDescription")
    func localizedDescriptionIsTheMessage() throws {
        let validation = #expect(throws: ValidationError.self) { _ = try EmailAddress("bukan alamat") }
        let store = StoreError(
            .ioFailure, message: LocalizedText(indonesian: "Disk gagal.", english: "The disk failed."))
        let errors: [any LocalizedFailure] = [try #require(validation), VerificationError.invalidCredentials, store]
        for error in errors {
            let described = (error as any Error).localizedDescription
            #expect(described == error.message.indonesian, "\(described)")
            #expect(!described.contains("could not be completed"))
        }
        #expect(
            VerificationError.invalidCredentials.message(in: .english)
                != VerificationError.invalidCredentials.localizedDescription)
    }

    @Test("a storage or busy error's localizedDescription is a plain sentence; its message keeps the store's words")
    func storageDetailsStayInTheMessage() {
        let store = StoreError(
            .ioFailure,
            message: LocalizedText(
                indonesian: "Berkas /var/lib/dapodik/store/LOCK gagal.",
                english: "The file /var/lib/dapodik/store/LOCK failed."))
        let storage = VerificationError.storage(store)
        let busy = VerificationError.storeHeldTooLong(store)
        for error in [storage, busy] {
            let described = (error as any Error).localizedDescription
            #expect(!described.contains("/var/lib"), "\(described)")
            #expect(error.message.indonesian.contains("/var/lib/dapodik/store/LOCK"))
        }
        #expect((storage as any Error).localizedDescription.hasPrefix("Penyimpanan data gagal."))
        #expect((busy as any Error).localizedDescription == "Server sibuk, coba lagi sebentar lagi.")
    }
}
