/// The file of a store directory that one fuzz target mutates; the others stay as a real store
/// wrote them, so the mutated file is read in a consistent context.
package enum StoreFile: Sendable {
    /// `CURRENT`, the manifest naming the current generation.
    case manifest
    /// `log-<generation>`, the commit log.
    case log
    /// `snapshot-<generation>`, the compacted records and their index.
    case snapshot

    /// Whether `name` is this kind of file.
    func matches(_ name: String) -> Bool {
        switch self {
        case .manifest: name == "CURRENT"
        case .log: name.hasPrefix("log-")
        case .snapshot: name.hasPrefix("snapshot-")
        }
    }
}
