#if PostgreSQL
    import DapodikStorage
    import DapodikLanguage

    #if canImport(FoundationEssentials)
        import FoundationEssentials
    #else
        import Foundation
    #endif

    /// Index entries as the database keeps them: a JSON array of `[name, value, unique]` arrays, in the
    /// record's own order.
    enum IndexEntryCoding {
        private struct Entry: Codable {
            var entry: IndexEntry

            init(_ entry: IndexEntry) { self.entry = entry }

            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                let name = try container.decode(String.self)
                let value = try container.decode(String.self)
                entry = IndexEntry(name: name, value: value, isUnique: try container.decode(Bool.self))
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.unkeyedContainer()
                try container.encode(entry.name)
                try container.encode(entry.value)
                try container.encode(entry.isUnique)
            }
        }

        /// One mutation as `commit_batch` reads it (`PostgresSchema.version1`).
        private struct EncodedMutation: Encodable {
            var c: String
            var i: String
            var k: String
            var e: String
            var v: Data?
            var x: [Entry]?
        }

        /// The batch as the JSON text `commit_batch` takes.
        static func encode(_ mutations: [Mutation]) throws(StoreError) -> String {
            let encoded = mutations.map { mutation in
                let expectation =
                    switch mutation.expectation {
                    case .any: "any"
                    case .mustNotExist: "new"
                    case .version(let version): String(version)
                    }
                switch mutation.kind {
                case .put(let value, let indexes):
                    return EncodedMutation(
                        c: mutation.key.collection, i: mutation.key.id, k: "p", e: expectation, v: value,
                        x: indexes.map(Entry.init))
                case .delete:
                    return EncodedMutation(
                        c: mutation.key.collection, i: mutation.key.id, k: "d", e: expectation, v: nil, x: nil)
                }
            }
            do {
                return String(decoding: try JSONEncoder().encode(encoded), as: UTF8.self)
            } catch {
                throw .invalidInput("Data tidak dapat dikodekan.", "The batch cannot be encoded.")
            }
        }

        /// The entries of a record, read back.
        static func decode(_ json: String) throws(StoreError) -> [IndexEntry] {
            do {
                return try JSONDecoder().decode([Entry].self, from: Data(json.utf8)).map(\.entry)
            } catch {
                throw .databaseFailure(
                    LocalizedText(indonesian: "indeks tersimpan tidak terbaca", english: "stored indexes do not parse"))
            }
        }
    }
#endif
