/// Distinct strings in UTF-8 byte order, kept as a list of short sorted runs: inserting or removing
/// one moves at most a run (``runLimit`` strings) and the list of runs, never all the strings.
///
/// A single sorted array cost a shift of every string after the position on each insert and each
/// removal: for an index whose values are all distinct (`challenge.account`, `outbox.challenge`),
/// hundreds of kilobytes moved per commit under the store's lock, growing with the number of records.
package struct SortedStrings {
    /// The most strings a run holds; a run that grows past it is split in two halves.
    package static let runLimit = 512

    /// Non-empty runs, each sorted, every string of a run before every string of the next.
    private var runs: [[String]] = []

    /// The number of strings.
    package private(set) var count = 0

    /// An empty list.
    package init() {}

    /// A list of `sorted`, which must be in UTF-8 order without duplicates (a bulk load).
    /// - Parameter sorted: The strings, in order.
    package init(sorted: [String]) {
        let half = Self.runLimit / 2
        runs.reserveCapacity((sorted.count + half - 1) / half)
        var start = 0
        while start < sorted.count {
            let end = min(start + half, sorted.count)
            runs.append(Array(sorted[start..<end]))
            start = end
        }
        count = sorted.count
    }

    /// The length of the longest run (for tests of the bound).
    package var longestRun: Int { runs.lazy.map(\.count).max() ?? 0 }

    /// Every string, in order (for tests).
    package var all: [String] { runs.flatMap { $0 } }

    /// Inserts a string that is not in the list yet.
    /// - Parameter value: The new string.
    package mutating func insert(_ value: String) {
        guard !runs.isEmpty else {
            runs = [[value]]
            count = 1
            return
        }
        let run = runIndex(for: value)
        let position = Self.lowerBound(value, in: runs[run])
        runs[run].insert(value, at: position)
        count += 1
        if runs[run].count > Self.runLimit {
            let half = runs[run].count / 2
            let upper = Array(runs[run][half...])
            runs[run].removeSubrange(half...)
            runs.insert(upper, at: run + 1)
        }
    }

    /// Removes a string if the list holds it.
    /// - Parameter value: The string.
    package mutating func remove(_ value: String) {
        guard !runs.isEmpty else { return }
        let run = runIndex(for: value)
        let position = Self.lowerBound(value, in: runs[run])
        guard position < runs[run].count, utf8Equal(runs[run][position], value) else { return }
        runs[run].remove(at: position)
        count -= 1
        if runs[run].isEmpty { runs.remove(at: run) }
    }

    /// Calls `body` with each string not before `lower`, in order, until it returns `false`.
    /// - Parameters:
    ///   - lower: The smallest string visited.
    ///   - body: Returns whether to go on.
    package func forEach(from lower: String, while body: (String) -> Bool) {
        guard !runs.isEmpty else { return }
        var run = runIndex(for: lower)
        var position = Self.lowerBound(lower, in: runs[run])
        while run < runs.count {
            while position < runs[run].count {
                guard body(runs[run][position]) else { return }
                position += 1
            }
            run += 1
            position = 0
        }
    }

    /// The run that holds `value` or would receive it: the first whose last string is not before
    /// it, else the last run. `runs` must not be empty.
    private func runIndex(for value: String) -> Int {
        var low = 0
        var high = runs.count - 1
        while low < high {
            let middle = (low + high) / 2
            if utf8Precedes(runs[middle][runs[middle].count - 1], value) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func lowerBound(_ value: String, in run: [String]) -> Int {
        var low = 0
        var high = run.count
        while low < high {
            let middle = (low + high) / 2
            if utf8Precedes(run[middle], value) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
