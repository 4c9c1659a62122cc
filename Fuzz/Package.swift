// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets for the readers of outside bytes. Its own package (like Benchmarks/), so the
// main package's build never sees `-sanitize=fuzzer`; it uses only the public API, so the storage
// format may change underneath without breaking it. Build and run with `.ci/fuzz`.

let package = Package(
    name: "DapodikFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "DapodikVerification", path: "..")],
    targets: [
        // Declarations of libFuzzer's `LLVMFuzzerRunDriver` and `LLVMFuzzerMutate`.
        .target(name: "CLibFuzzer"),
        // The `main` the targets share: seeds or libFuzzer.
        .target(name: "FuzzDriver", dependencies: ["CLibFuzzer"]),
        .target(
            name: "StoreFuzzing",
            dependencies: [
                "CLibFuzzer", "FuzzDriver",
                .product(name: "DapodikLanguage", package: "DapodikVerification"),
                .product(name: "DapodikStorage", package: "DapodikVerification"),
            ]
        ),
        .executableTarget(name: "FuzzStoreManifest", dependencies: ["StoreFuzzing"]),
        .executableTarget(name: "FuzzStoreLog", dependencies: ["StoreFuzzing"]),
        .executableTarget(name: "FuzzStoreSnapshot", dependencies: ["StoreFuzzing"]),
        .executableTarget(
            name: "FuzzReceivedMessage",
            dependencies: [
                "FuzzDriver",
                .product(name: "DapodikAccounts", package: "DapodikVerification"),
                .product(name: "DapodikMail", package: "DapodikVerification"),
            ]
        ),
        .executableTarget(
            name: "FuzzBounceReport",
            dependencies: ["FuzzDriver", .product(name: "DapodikMail", package: "DapodikVerification")]
        ),
        .executableTarget(
            name: "FuzzTypedInput",
            dependencies: [
                "FuzzDriver",
                .product(name: "DapodikAccounts", package: "DapodikVerification"),
                .product(name: "DapodikMail", package: "DapodikVerification"),
            ]
        ),
        .executableTarget(
            name: "FuzzStoredRecords",
            dependencies: [
                "FuzzDriver",
                .product(name: "DapodikAccounts", package: "DapodikVerification"),
                .product(name: "DapodikCodes", package: "DapodikVerification"),
                .product(name: "DapodikMail", package: "DapodikVerification"),
                .product(name: "DapodikStorage", package: "DapodikVerification"),
                .product(name: "DapodikVerification", package: "DapodikVerification"),
            ]
        ),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
