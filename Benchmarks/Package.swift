// swift-tools-version: 6.2
import PackageDescription

// The benchmarks of DapodikVerification: a package of their own, so the library's `swift test`
// never builds them and the library keeps depending on no package at all. SQLite (the peer the
// file store is measured against) comes from the system through its C API. The library's traits SMTP
// and PostgreSQL are on here (the SMTP and PostgreSQL scenarios), so this package fetches SwiftNIO and
// postgres-nio; the library itself, without them, still fetches nothing.

let package = Package(
    name: "DapodikBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "DapodikVerification", path: "..", traits: ["SMTP", "PostgreSQL"]),
        // The PostgreSQL scale scenario drops its schema, runs VACUUM and reads table sizes itself.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // The timing harness, the results' format and the report, with their tests: a package of its
        // own (no dependency).
        .package(path: "BenchmarkReport"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // The library's internal crypto seam (`package` access, so not reachable from this package
        // through a product) compiled from the very same sources through a symbolic link, so the
        // primitives can be timed on exactly the inputs issue 7 names (64-byte HMAC messages). Its
        // C module, CDapodikSHA (the SHA instructions), is the library's own, visible through the
        // product that depends on it: one copy of the C code in the executable. The engine that
        // pairs the derivations of concurrent tasks is left out: it needs the library's lock, whose
        // `package` symbols this package cannot see (the `logins` scenario times it through the service).
        .target(
            name: "CryptoUnderTest",
            dependencies: [.product(name: "DapodikVerification", package: "DapodikVerification")],
            path: "Sources/CryptoUnderTest",
            exclude: ["PBKDF2Pairing.swift"]
        ),
        .executableTarget(
            name: "dapodik-bench",
            dependencies: [
                "CSQLite",
                "CryptoUnderTest",
                .product(name: "BenchmarkHarness", package: "BenchmarkReport"),
                .product(name: "BenchmarkReport", package: "BenchmarkReport"),
                .product(name: "DapodikVerification", package: "DapodikVerification"),
                .product(name: "DapodikAccounts", package: "DapodikVerification"),
                .product(name: "DapodikCodes", package: "DapodikVerification"),
                .product(name: "DapodikStorage", package: "DapodikVerification"),
                .product(name: "DapodikMail", package: "DapodikVerification"),
                .product(name: "DapodikSMTP", package: "DapodikVerification"),
                .product(name: "DapodikPostgres", package: "DapodikVerification"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
