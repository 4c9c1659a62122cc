#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

// The manifest (`CURRENT`): which generation is the store's, written so that a crash leaves
// either the old one or the new one, and the leftovers of generations no longer named removed.
extension FileEngine {
    static func manifestText(generation: UInt64, format: UInt32 = storeFormat) -> String {
        let body = "dapodik-store format=\(format) generation=\(generation)"
        let checksum = String(CRC32C.checksum(Array(body.utf8)), radix: 16)
        return body + " crc32c=" + String(repeating: "0", count: 8 - checksum.count) + checksum + "\n"
    }

    /// Reads `CURRENT`. A manifest of another format is refused as `unsupportedFormat` only when its
    /// checksum holds; otherwise it is damage.
    func readManifest() throws(StoreError) -> UInt64 {
        try Self.readManifest(at: path(Self.manifestName))
    }

    /// Reads the manifest at a path (see ``readManifest()``).
    static func readManifest(at manifest: String) throws(StoreError) -> UInt64 {
        let fd = try SystemCalls.open(manifest, O_RDONLY)
        defer { SystemCalls.close(fd) }
        let bytes = try SystemCalls.read(fd, count: 256, at: 0, path: manifest)
        let text = String(decoding: bytes, as: UTF8.self)
        let fields = text.split(separator: " ")
        guard fields.count == 4, fields[0] == "dapodik-store", fields[1].hasPrefix("format="),
            let format = UInt32(fields[1].dropFirst("format=".count)),
            fields[2].hasPrefix("generation="), let generation = UInt64(fields[2].dropFirst("generation=".count)),
            generation > 0, manifestText(generation: generation, format: format) == text
        else {
            throw .corrupted(file: manifest, offset: 0, Damage("manifest tidak terbaca", "unreadable manifest"))
        }
        guard format == storeFormat else { throw .unsupportedFormat(file: manifest, version: format) }
        return generation
    }

    /// Switches the store to a generation: writes `CURRENT.tmp`, syncs it, renames it over `CURRENT`
    /// and syncs the directory. The rename is the commit point.
    func writeManifest(generation: UInt64) throws(StoreError) {
        try Self.writeManifest(directory: directory, generation: generation)
    }

    /// ``writeManifest(generation:)`` in its two steps, for a compaction, which must tell a failure
    /// before the switch from one after it.
    static func writeManifest(directory: String, generation: UInt64) throws(StoreError) {
        try writeTemporaryManifest(directory: directory, generation: generation)
        try switchManifest(directory: directory)
    }

    /// Writes and syncs `CURRENT.tmp`. A failure here leaves `CURRENT` as it was.
    static func writeTemporaryManifest(directory: String, generation: UInt64) throws(StoreError) {
        try writeNewFile(directory + "/" + manifestName + ".tmp", Array(manifestText(generation: generation).utf8))
    }

    /// Renames `CURRENT.tmp` over `CURRENT` and syncs the directory: the commit point. After a
    /// failure here `CURRENT` may name either generation (a failed `rename` may still have happened,
    /// a failed directory sync leaves the rename's durability unknown).
    static func switchManifest(directory: String) throws(StoreError) {
        try SystemCalls.rename(directory + "/" + manifestName + ".tmp", directory + "/" + manifestName)
        try SystemCalls.syncDirectory(directory)
    }

    /// Removes the files of other generations and temporary files: what a crash during creation or
    /// compaction left behind. Only under the exclusive lock, and only after the generation `CURRENT`
    /// names has loaded.
    ///
    /// The directory is synced *before* anything is removed: `CURRENT` may name this generation
    /// only in the page cache (a compaction whose directory sync failed or was cut short), and
    /// removing the generation it replaced is safe only once that rename is durable.
    func removeLeftovers(keeping generation: UInt64) throws(StoreError) {
        let leftovers = try SystemCalls.listDirectory(directory).filter { name in
            // The marker of a backup whose manifest was written before it failed: the copy is whole.
            if name == Self.manifestName + ".tmp" || name == Self.incompleteBackupMarkerName { return true }
            guard let number = Self.generationNumber(of: name) else { return false }
            return number != generation
        }
        guard !leftovers.isEmpty else { return }
        try SystemCalls.syncDirectory(directory)
        for name in leftovers { try SystemCalls.remove(path(name)) }
        try SystemCalls.syncDirectory(directory)
    }

    static func generationNumber(of name: String) -> UInt64? {
        for prefix in ["snapshot-", "log-"] where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count)
            if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) { return UInt64(digits) }
        }
        return nil
    }
}
