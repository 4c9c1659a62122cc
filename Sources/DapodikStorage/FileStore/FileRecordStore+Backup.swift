#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension FileRecordStore {
    /// What ``backup(directory:to:lockWait:)`` copied.
    public struct BackupReport: Sendable, Hashable {
        /// The generation copied.
        public var generation: UInt64
        /// The bytes copied (snapshot and log).
        public var bytes: UInt64
    }

    /// Copies a store consistently while other processes keep using it: under a shared lock on
    /// `LOCK`, which no commit or compaction can take meanwhile (reads go on), the current
    /// generation's snapshot and log are copied and synced, then a manifest naming it is written
    /// last. A marker file (`BACKUP-INCOMPLETE`) is written first and removed after the manifest, so a
    /// copy cut short is neither opened nor recovered as a store: both refuse it as
    /// ``StoreError/Code-swift.struct/backupIncomplete``. Every value of the copied snapshot is
    /// checked against its checksum before the manifest is written, so a store with a damaged value
    /// is not copied into a backup that looks whole. Nothing is written to the store's directory, so
    /// a store on read-only media (a read-only mount, a snapshot) can be copied too, also one without
    /// `LOCK` (copied then without a lock: no process can commit to such a store), and the copy gets a
    /// `LOCK` of its own.
    /// - Parameters:
    ///   - directory: The store's directory.
    ///   - destination: A directory that must not exist yet; created with mode `0700`.
    ///   - lockWait: How long to wait for a process that holds the store's lock exclusively (a
    ///     commit in progress takes milliseconds, a compaction seconds).
    /// - Returns: What was copied.
    /// - Throws: ``StoreError``: `invalidInput` when `destination` exists, `corrupted` for a damaged
    ///   manifest or a damaged value (the copy then stays marked incomplete; the error names the store's
    ///   snapshot when the damage is there, the copy's only when the store's is intact), `lockTimeout` when a
    ///   process held the lock longer than `lockWait` allows, `untrustedDirectory` when another user
    ///   could change the store's directory or the destination's parent, `ioFailure`.
    public static func backup(
        directory: URL, to destination: URL, lockWait: LockWaitPolicy = LockWaitPolicy()
    ) throws(StoreError) -> BackupReport {
        let source = directory.path
        let target = destination.path
        // Neither the store nor where the copy goes may be a place another user can change.
        try StoreError.requireTrusted(source)
        if let distrust = DirectoryDistrust.checkParent(of: target) { throw StoreError.untrusted(distrust) }
        let lockPath = source + "/" + FileEngine.lockName
        // For reading: a shared `flock` needs no more, and a store on read-only media can be copied.
        // A store without `LOCK` (a copy made without it) is copied without a lock, as a read-only
        // open reads it: no process can commit to it meanwhile (opening refuses it, and a process
        // that had it open checks under its lock that `LOCK` still has a name before it writes).
        // Before, this was a bare `ENOENT` (found by attacking the store).
        let lockFD = try SystemCalls.openIfExists(lockPath, O_RDONLY)
        defer { if let lockFD { SystemCalls.close(lockFD) } }
        if let lockFD { try SystemCalls.lock(lockFD, exclusive: false, path: lockPath, policy: lockWait) }
        defer { if let lockFD { SystemCalls.unlock(lockFD) } }
        let generation = try FileEngine.readManifest(at: source + "/" + FileEngine.manifestName)

        let alreadyThere = StoreError.invalidInput(
            "Tujuan cadangan \(target) sudah ada; pilih direktori baru.",
            "The backup destination \(target) already exists; choose a new directory.")
        guard !SystemCalls.exists(target) else { throw alreadyThere }
        // Until the manifest is written, the marker says this is a backup cut short: neither opening
        // nor recovering the manifest may turn part of a store into a store. The directory gets its
        // name only with the marker in it (made under a name of its own, then renamed), so no moment
        // leaves an empty directory there, which opening would take for a new store.
        let parent = FileEngine.parent(of: target)
        let name = target.split(separator: "/").last.map(String.init) ?? "backup"
        let staging =
            parent + "/." + Self.stagingStem(of: name) + ".incomplete-"
            + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        guard try SystemCalls.makeDirectory(staging) else { throw alreadyThere }
        let stagedMarker = staging + "/" + FileEngine.incompleteBackupMarkerName
        do throws(StoreError) {
            try FileEngine.writeNewFile(stagedMarker, Array("dapodik-store backup in progress\n".utf8))
            try SystemCalls.syncDirectory(staging)
            do {
                try SystemCalls.rename(staging, target)
            } catch  where [EEXIST, ENOTEMPTY, ENOTDIR].contains(error.errno ?? 0) {
                throw alreadyThere
            }
        } catch {
            try? SystemCalls.remove(stagedMarker)
            rmdir(staging)
            throw error
        }
        try SystemCalls.syncDirectory(parent)
        let marker = target + "/" + FileEngine.incompleteBackupMarkerName
        var copied: UInt64 = 0
        for name in [FileEngine.snapshotName(generation), FileEngine.logName(generation)] {
            do {
                copied += try copyFile(source + "/" + name, to: target + "/" + name)
            } catch  where error.errno == ENOENT && error.file == source + "/" + name {
                // Under the shared lock no compaction removes it: the manifest names files that are not
                // there, which opening the store reports the same way (recovery recoverManifest).
                throw .corrupted(
                    file: source + "/" + FileEngine.manifestName, offset: 0,
                    Damage(
                        "menunjuk generasi \(generation), tetapi \(name) tidak ada",
                        "names generation \(generation), but \(name) is missing"))
            }
        }
        // The copy's every value against its checksum: a damaged store is not copied into a backup
        // that looks whole (the log's frames are checked when the copy opens). Damage found in the copy
        // is looked for in the store too, so the error names the file that is damaged: the store's
        // (restore it from an older backup) rather than the copy's, which a caller removes, or the
        // copy's only when the store is intact (the bytes were damaged on their way to the copy).
        let snapshotName = FileEngine.snapshotName(generation)
        do {
            try SnapshotIndex.verifyEveryValue(ofSnapshotAt: target + "/" + snapshotName)
        } catch  where error.code == .corrupted {
            try SnapshotIndex.verifyEveryValue(ofSnapshotAt: source + "/" + snapshotName)
            throw error
        }
        try FileEngine.writeNewFile(target + "/" + FileEngine.lockName, [])
        try SystemCalls.syncDirectory(target)
        try FileEngine.writeManifest(directory: target, generation: generation)
        try SystemCalls.remove(marker)
        try SystemCalls.syncDirectory(target)
        return BackupReport(generation: generation, bytes: copied)
    }

    /// The start of a backup's own name in its staging directory's: at most 200 bytes, cut between
    /// characters, so that with the dot and the suffix it stays within a file name's 255 bytes however
    /// long the name is (a name of 227 bytes and more failed with `ENAMETOOLONG`; found by attacking
    /// the store).
    static func stagingStem(of name: String) -> String {
        var stem = ""
        for scalar in name.unicodeScalars {
            guard stem.utf8.count + UTF8.width(scalar) <= 200 else { break }
            stem.unicodeScalars.append(scalar)
        }
        return stem
    }

    /// Copies a file in 8 MiB pieces into a new file and syncs it.
    /// - Returns: The bytes copied.
    private static func copyFile(_ from: String, to: String) throws(StoreError) -> UInt64 {
        let input = try SystemCalls.open(from, O_RDONLY)
        defer { SystemCalls.close(input) }
        let output = try SystemCalls.open(to, O_RDWR | O_CREAT | O_EXCL)
        defer { SystemCalls.close(output) }
        var offset: UInt64 = 0
        while true {
            let chunk = try SystemCalls.read(input, count: FileEngine.scanChunk, at: offset, path: from)
            if chunk.isEmpty { break }
            try SystemCalls.write(output, chunk, at: offset, path: to)
            offset += UInt64(chunk.count)
        }
        try SystemCalls.sync(output, path: to)
        return offset
    }
}
