import Foundation

/// With `DAPODIK_FUZZ_STATS=1` in the environment, counts how the inputs ended (the store worked, or
/// which error it gave) and prints the counts when the process exits: how far past the checksums
/// and format checks the fuzzer gets.
enum Outcomes {
    static let isCounting: Bool = {
        guard ProcessInfo.processInfo.environment["DAPODIK_FUZZ_STATS"] == "1" else { return false }
        atexit { Outcomes.printCounts() }
        return true
    }()

    // Only `StoreFuzzing.run` writes it, and libFuzzer calls that on one thread, one input at a
    // time; the exit handler reads it after the last input.
    nonisolated(unsafe) private static var counts: [String: Int] = [:]

    static func record(_ outcome: String) {
        // Digits (offsets, sequences, generations) would split one kind of outcome into many.
        let kind = String(outcome.map { $0.isNumber ? "#" : $0 })
        counts[kind, default: 0] += 1
    }

    private static func printCounts() {
        let total = counts.values.reduce(0, +)
        print("outcomes of \(total) inputs:")
        for (kind, count) in counts.sorted(by: { $0.value > $1.value }).prefix(20) {
            let number = String(count)
            print(String(repeating: " ", count: max(0, 8 - number.count)) + number + "  " + kind)
        }
    }
}
