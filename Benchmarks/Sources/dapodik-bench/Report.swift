import Foundation

/// Reads a results file and prints the comparison table (to be completed).
struct Report {
    var results: [BenchmarkResult]

    init(resultsPath: String) throws {
        let text = try String(contentsOfFile: resultsPath, encoding: .utf8)
        let decoder = JSONDecoder()
        results = try text.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
            try decoder.decode(BenchmarkResult.self, from: Data($0.utf8))
        }
    }

    func markdown() -> String { "\(results.count) results" }
}
