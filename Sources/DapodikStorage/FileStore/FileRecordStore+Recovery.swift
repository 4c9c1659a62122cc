import DapodikLanguage

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
    /// What ``recoverManifest(directory:lockWait:)`` did.
    public struct ManifestRecovery: Sendable, Hashable {
        /// Whether the manifest was rewritten; `false` when it was intact and named an intact
        /// generation (then nothing changed).
        public var rewritten: Bool
        /// The generation the manifest names now.
        public var generation: UInt64
        /// The last commit in that generation (its snapshot and the valid frames of its log).
        public var lastSequence: UInt64
        /// Where the damaged manifest was moved, when there was one.
        public var damagedManifest: String?
        /// The files of other generations, renamed with the suffix `.set-aside` (never deleted):
        /// remove them once the store is known to be complete.
        public var setAside: [String]
        /// Whether the store's process lock file (`LOCK`) was missing and was made anew, as every
        /// open of the store makes it (nothing else changes when the manifest was intact).
        public var lockRecreated: Bool = false
    }

    /// Rebuilds a missing or damaged manifest (`CURRENT`) from the newest intact generation: the one
    /// whose snapshot loads and whose log continues it, holding the most commits (the highest
    /// generation among equals). Nothing is deleted: a damaged manifest is kept as
    /// `CURRENT.damaged-<n>`, the other generations' files are renamed with `.set-aside`.
    ///
    /// Opening a store refuses a missing manifest beside generation files
    /// (``StoreError/Code-swift.struct/manifestMissing``) and a damaged one
    /// (``StoreError/Code-swift.struct/corrupted``, recovery ``StoreError/Recovery/recoverManifest``)
    /// rather than guess; this call is the deliberate decision.
    /// - Parameters:
    ///   - directory: The store's directory. No process may have it open.
    ///   - lockWait: How long to wait for a process that holds the store's lock.
    /// - Returns: What was done.
    /// - Throws: ``StoreError``: `noIntactGeneration` when no generation is intact (restore a backup),
    ///   `backupIncomplete` for a backup cut short (back the store up again), `lockTimeout` when a
    ///   process held the lock longer than `lockWait` allows, `untrustedDirectory` as
    ///   ``init(directory:options:)``, `ioFailure`. An intact manifest naming
    ///   an intact generation is not an error.
    public static func recoverManifest(
        directory: URL, lockWait: LockWaitPolicy = LockWaitPolicy()
    ) throws(StoreError) -> ManifestRecovery {
        let directoryPath = directory.path
        try FileEngine.refuseIncompleteBackup(directoryPath)
        let lockPath = directoryPath + "/" + FileEngine.lockName
        let lockWasMissing = !SystemCalls.exists(lockPath)
        var recovery = try LockFile.withExclusiveChange(directory: directoryPath, waitPolicy: lockWait) {
            (_) throws(StoreError) in
            try recoverManifestUnderLock(directoryPath)
        }
        recovery.lockRecreated = lockWasMissing && SystemCalls.exists(lockPath)
        return recovery
    }

    /// The steps of ``recoverManifest(directory:lockWait:)``, under the store's exclusive lock.
    private static func recoverManifestUnderLock(_ directoryPath: String) throws(StoreError) -> ManifestRecovery {

        let names = try SystemCalls.listDirectory(directoryPath)
        let generations = Set(names.compactMap(FileEngine.generationNumber(of:))).sorted(by: >)
        var reasons: [(files: String, problem: LocalizedText)] = []
        var best: (generation: UInt64, lastSequence: UInt64)?
        for generation in generations {
            do throws(StoreError) {
                let last = try intactGeneration(generation, in: directoryPath)
                if best == nil || last > best!.lastSequence { best = (generation, last) }
            } catch {
                reasons.append(
                    ("\(FileEngine.logName(generation))/\(FileEngine.snapshotName(generation))", error.problem))
            }
        }
        let manifestPath = directoryPath + "/" + FileEngine.manifestName
        let manifestExists = names.contains(FileEngine.manifestName)
        if manifestExists, let named = try? FileEngine.readManifest(at: manifestPath),
            let last = try? intactGeneration(named, in: directoryPath)
        {
            return ManifestRecovery(
                rewritten: false, generation: named, lastSequence: last, damagedManifest: nil, setAside: [])
        }
        // A backup cut short holds part of a store: its log may end at any 8 MiB piece, which reads as a
        // torn tail, so a manifest rebuilt here would open it as a store missing its last commits.
        if names.contains(FileEngine.incompleteBackupMarkerName) { throw .backupIncomplete(directory: directoryPath) }
        guard let best else { throw .noIntactGeneration(directory: directoryPath, reasons: reasons) }

        var damagedManifest: String?
        if manifestExists {
            var number = 1
            while names.contains(FileEngine.manifestName + ".damaged-\(number)") { number += 1 }
            damagedManifest = manifestPath + ".damaged-\(number)"
            try SystemCalls.rename(manifestPath, damagedManifest!)
        }
        var setAside: [String] = []
        for name in names.sorted() {
            guard let number = FileEngine.generationNumber(of: name), number != best.generation else { continue }
            let target = directoryPath + "/" + name + ".set-aside"
            try SystemCalls.rename(directoryPath + "/" + name, target)
            setAside.append(target)
        }
        try SystemCalls.syncDirectory(directoryPath)
        try FileEngine.writeManifest(directory: directoryPath, generation: best.generation)
        return ManifestRecovery(
            rewritten: true, generation: best.generation, lastSequence: best.lastSequence,
            damagedManifest: damagedManifest, setAside: setAside)
    }

    /// Checks that a generation's snapshot loads and its log continues it.
    /// - Returns: The last sequence of its valid commits.
    private static func intactGeneration(_ generation: UInt64, in directory: String) throws(StoreError) -> UInt64 {
        let snapshotPath = directory + "/" + FileEngine.snapshotName(generation)
        let logPath = directory + "/" + FileEngine.logName(generation)
        let snapshotFD = try SystemCalls.open(snapshotPath, O_RDONLY)
        defer { SystemCalls.close(snapshotFD) }
        let snapshot = try SnapshotIndex.load(fd: snapshotFD, path: snapshotPath)
        let logFD = try SystemCalls.open(logPath, O_RDONLY)
        defer { SystemCalls.close(logFD) }
        let size = try SystemCalls.status(logFD, path: logPath).size
        let bytes = try SystemCalls.read(logFD, count: Int(clamping: size), at: 0, path: logPath)
        let header = try LogFormat.parseHeader(bytes, path: logPath)
        guard snapshot.generation == generation, header.generation == generation,
            header.base == snapshot.lastSequence
        else {
            throw .corrupted(
                file: logPath, offset: 16,
                Damage("log tidak melanjutkan snapshot", "log does not continue the snapshot"))
        }
        return LogFormat.validPrefix(of: bytes, base: header.base, version: header.version).lastSequence
    }
}
