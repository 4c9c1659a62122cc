// Typed reads: a key or an index names the type it holds, so no call site names a collection or
// decodes by hand.
extension RecordStore {
    func load<Value>(_ key: StoredKey<Value>) async throws -> Loaded<Value>? {
        guard let record = try await record(for: key.recordKey) else { return nil }
        return try Loaded(decoding: record)
    }

    func load<Value>(whereUnique index: StoredIndex<Value>, equals value: String) async throws -> Loaded<Value>? {
        guard let record = try await record(whereUnique: index.name, equals: value) else { return nil }
        return try Loaded(decoding: record)
    }

    func loadAll<Value>(where index: StoredIndex<Value>, equals value: String) async throws -> [Loaded<Value>] {
        try await records(where: index.name, equals: value).map { try Loaded(decoding: $0) }
    }

    /// The id of the record `index` holds under `value`, without reading (or decoding) it.
    func id<Value>(whereUnique index: StoredIndex<Value>, equals value: String) async throws -> String? {
        try await record(whereUnique: index.name, equals: value)?.key.id
    }
}
