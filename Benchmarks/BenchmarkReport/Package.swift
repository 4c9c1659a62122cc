// swift-tools-version: 6.2
import PackageDescription

// How `dapodik-bench` times an operation (BenchmarkHarness: serial and concurrent clients, processes
// that start together), how it records a measurement, and how `dapodik-bench report` turns a results
// file into the Markdown table of `Documentation/Performance.md` (BenchmarkReport): a package of its
// own, depending on nothing, so its tests build in seconds without the benchmark's SQLite, SwiftNIO
// and postgres-nio (CI runs them with `swift test --package-path Benchmarks/BenchmarkReport`).

let package = Package(
    name: "DapodikBenchmarkReport",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BenchmarkReport", targets: ["BenchmarkReport"]),
        .library(name: "BenchmarkHarness", targets: ["BenchmarkHarness"]),
    ],
    targets: [
        .target(name: "BenchmarkReport"),
        .target(name: "BenchmarkHarness", dependencies: ["BenchmarkReport"]),
        // The fixtures are read through `#filePath`, from the source tree.
        .testTarget(name: "BenchmarkReportTests", dependencies: ["BenchmarkReport"], exclude: ["Fixtures"]),
        .testTarget(name: "BenchmarkHarnessTests", dependencies: ["BenchmarkHarness", "BenchmarkReport"]),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
