extension FileRecordStore {
    /// Whether a file named `name` in a directory is one of a file store's own: `CURRENT`, a log or
    /// snapshot generation, or the mark of a backup cut short. A directory holding none of them is no
    /// store (opening it would start an empty one), so a program that must not create a store by
    /// mistake (a mistyped data directory, a backup killed as it began) asks this first.
    /// - Parameter name: A file name, without its directory.
    /// - Returns: `true` for the store's own files.
    public static func isStoreFileName(_ name: String) -> Bool {
        name == FileEngine.manifestName || name == FileEngine.incompleteBackupMarkerName
            || name.hasPrefix("log-") || name.hasPrefix("snapshot-")
    }
}
