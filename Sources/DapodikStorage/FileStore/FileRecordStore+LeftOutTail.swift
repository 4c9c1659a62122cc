import DapodikLocking

extension FileRecordStore {
    /// Bytes after the last commit of the log that a store opened read-only (``Options/readOnly``)
    /// left out of what it shows, and left on disk as they are, where opening the store for writing
    /// would have repaired the log (`Documentation/StorageFormat.md`, "Opening read-only").
    public struct LeftOutTail: Sendable, Hashable {
        /// Why bytes after the last commit read were left out. A closed set: a read-only open leaves
        /// out nothing else.
        public enum Reason: Sendable, Hashable {
            /// The remains of a write cut short (a crash, a power loss), never acknowledged to anyone:
            /// opening the store for writing zeroes them (or cuts them off a log of an earlier format).
            case tornWrite
            /// Whole commits written after the last acknowledged one by a process that died during
            /// its change, before their sync was known to have finished: opening the store for writing
            /// makes them durable and keeps them.
            case unacknowledgedCommits
        }

        /// Why the bytes were left out.
        public var reason: Reason
        /// The log file.
        public var file: String
        /// Where the bytes left out begin: just after the last commit read.
        public var offset: UInt64
        /// How many bytes were left out: up to the last byte that is not zero (a preallocated log is
        /// zeros after its last commit), or to the end of a log of an earlier format.
        public var length: UInt64
    }

    /// What the store, opened read-only, left out after the last commit of its log when it opened,
    /// and left on disk (``LeftOutTail``): `nil` when only zeros follow it, and always for a store
    /// opened for writing, which repairs the log as it opens.
    public var leftOutTail: LeftOutTail? { engine.withLock { $0.leftOutTail } }
}
