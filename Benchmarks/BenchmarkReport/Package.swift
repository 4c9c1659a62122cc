// swift-tools-version: 6.2
import PackageDescription

// How `dapodik-bench` records a measurement and how `dapodik-bench report` turns a results file into
// the Markdown table of `Documentation/Performance.md`: a package of its own, depending on nothing,
// so its tests build in seconds without the benchmark's SQLite, SwiftNIO and postgres-nio (CI runs
// them with `swift test --package-path Benchmarks/BenchmarkReport`).

let package = Package(
    name: "DapodikBenchmarkReport",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BenchmarkReport", targets: ["BenchmarkReport"])
    ],
    targets: [
        .target(name: "BenchmarkReport"),
        // The fixtures are read through `#filePath`, from the source tree.
        .testTarget(name: "BenchmarkReportTests", dependencies: ["BenchmarkReport"], exclude: ["Fixtures"]),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
