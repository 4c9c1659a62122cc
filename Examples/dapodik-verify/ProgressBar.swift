import DapodikVerification

/// A one-line progress bar for long work (a bulk import), drawn on standard error only when
/// standard error is a terminal, so pipes and log files never receive control characters.
struct ProgressBar {
    let total: Int
    let label: String
    let width: Int
    private let draw: (String) -> Void
    private var lastDrawnPermille = -1
    private(set) var completed = 0

    /// A progress bar for `total` steps.
    /// - Parameters:
    ///   - total: How many steps the work has.
    ///   - label: What is being done, in the person's language.
    ///   - width: The number of cells of the bar itself.
    ///   - draw: Where to write (standard error by default); `nil` disables the bar.
    init(total: Int, label: String, width: Int = 30, draw: ((String) -> Void)? = ProgressBar.standardError) {
        self.total = max(total, 0)
        self.label = label
        self.width = width
        self.draw = draw ?? { _ in }
    }

    /// Standard error when it is a terminal, otherwise nothing.
    static var standardError: ((String) -> Void)? {
        Console.isTerminal(2) ? { Console.write($0, to: .standardError) } : nil
    }

    /// The bar for `completed` of `total` steps, without the carriage return: `label [####......] 12/40  30%`.
    static func render(completed: Int, total: Int, label: String, width: Int) -> String {
        let fraction = total == 0 ? 1.0 : Double(min(completed, total)) / Double(total)
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let percent = Int((fraction * 100).rounded(.down))
        let percentText = String(repeating: " ", count: 3 - String(percent).count) + "\(percent)%"
        return "\(label) [\(bar)] \(completed)/\(total) \(percentText)"
    }

    /// Records `steps` more finished steps and redraws when the bar visibly changed (at most a
    /// thousand redraws, however large the file).
    mutating func advance(by steps: Int = 1) {
        completed += steps
        let permille = total == 0 ? 1000 : completed * 1000 / total
        guard permille != lastDrawnPermille else { return }
        lastDrawnPermille = permille
        draw("\r" + Self.render(completed: completed, total: total, label: label, width: width))
    }

    /// Ends the bar's line.
    func finish() { if lastDrawnPermille >= 0 { draw("\n") } }
}
