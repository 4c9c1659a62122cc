import Foundation

/// This process's resident memory, from `/proc/self/status` (Linux): `VmRSS` is what is resident now,
/// `VmHWM` the peak since the process started.
struct ProcessMemory {
    var residentMiB: Double
    var highWaterMiB: Double

    static func current() -> ProcessMemory {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return ProcessMemory(residentMiB: 0, highWaterMiB: 0)
        }
        func kibibytes(_ field: String) -> Double {
            for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
                let number =
                    line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? ""
                return Double(number) ?? 0
            }
            return 0
        }
        return ProcessMemory(residentMiB: kibibytes("VmRSS") / 1024, highWaterMiB: kibibytes("VmHWM") / 1024)
    }
}
