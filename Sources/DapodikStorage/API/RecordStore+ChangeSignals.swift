/// A point in a store's signals that a collection may have changed: taken before reading, so that a
/// wait after reading returns at once for a change committed while reading.
///
/// Marks of one store and one collection compare by when they were taken; they mean nothing across
/// stores or processes.
public struct ChangeSignalMark: Sendable, Hashable {
    /// How many signals for the collection the store had received when the mark was taken.
    package var count: UInt64

    /// A mark at `count` signals.
    package init(_ count: UInt64) {
        self.count = count
    }
}

extension RecordStore {
    /// The default for a store that cannot hear about changes: every mark is the same.
    /// - Parameter collection: The collection whose changes a reader waits for.
    /// - Returns: A mark that ``waitForChanges(in:since:atMost:)`` never sees passed.
    public func changeSignalMark(for collection: String) -> ChangeSignalMark {
        ChangeSignalMark(0)
    }

    /// The default for a store that cannot hear about changes: a plain bounded poll, waiting the full
    /// `limit` (or until the task is cancelled).
    /// - Parameters:
    ///   - collection: The collection whose changes the caller waits for.
    ///   - mark: What ``changeSignalMark(for:)`` returned before the caller last read.
    ///   - limit: The longest wait.
    public func waitForChanges(in collection: String, since mark: ChangeSignalMark, atMost limit: Duration) async {
        try? await Task.sleep(for: limit)
    }
}
