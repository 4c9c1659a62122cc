// swift-tools-version: 6.2
import PackageDescription

// The default build depends on no package at all (see Documentation/ and ../shared/design.md):
// Foundation, Dispatch, Synchronization and the C library only. Optional integrations will be
// package traits, off by default.

let package = Package(
    name: "DapodikVerification",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .library(name: "DapodikVerification", targets: ["DapodikVerification"]),
        .library(name: "DapodikAccounts", targets: ["DapodikAccounts"]),
        .library(name: "DapodikCodes", targets: ["DapodikCodes"]),
        .library(name: "DapodikMail", targets: ["DapodikMail"]),
        .library(name: "DapodikStorage", targets: ["DapodikStorage"]),
        // The store contract as checks any store's tests run against their store (swift-nio's
        // NIOTestUtils verifiers): Documentation/ImplementingAStore.md.
        .library(name: "DapodikStorageContract", targets: ["DapodikStorageContract"]),
        // A RecordStore on PostgreSQL; its code and its dependency exist only with the trait on.
        .library(name: "DapodikPostgres", targets: ["DapodikPostgres"]),
    ],
    traits: [
        // `swift build --traits PostgreSQL`: the PostgreSQL store over vapor/postgres-nio. Off by
        // default, so the default build fetches and builds no package.
        .trait(name: "PostgreSQL")
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2")
    ],
    targets: [
        // Internal crypto seam: SHA-256, HMAC, PBKDF2, constant-time equality, random bytes.
        // Not a product; other targets use its `package` symbols.
        .target(name: "DapodikCrypto"),
        .target(name: "DapodikAccounts", dependencies: ["DapodikCrypto"]),
        .target(name: "DapodikCodes", dependencies: ["DapodikAccounts", "DapodikCrypto"]),
        .target(name: "DapodikMail", dependencies: ["DapodikAccounts"]),
        .target(name: "DapodikStorage", dependencies: ["DapodikAccounts"]),
        .target(name: "DapodikStorageContract", dependencies: ["DapodikStorage"]),
        .target(
            name: "DapodikPostgres",
            dependencies: [
                "DapodikStorage",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
            ]
        ),
        .target(
            name: "DapodikVerification",
            dependencies: ["DapodikAccounts", "DapodikCodes", "DapodikMail", "DapodikStorage", "DapodikCrypto"]
        ),

        .executableTarget(
            name: "dapodik-verify",
            dependencies: ["DapodikVerification"],
            path: "Examples/dapodik-verify"
        ),
        .executableTarget(
            name: "EmbeddingExample",
            dependencies: ["DapodikVerification"],
            path: "Examples/EmbeddingExample"
        ),
        // A child process for the storage crash and multi-process tests.
        .executableTarget(
            name: "StorageProbe",
            dependencies: ["DapodikStorage"],
            path: "Tests/StorageProbe"
        ),

        // A child process for the PostgreSQL multi-process tests (empty without the trait).
        .executableTarget(
            name: "PostgresProbe",
            dependencies: ["DapodikPostgres", "DapodikStorage"],
            path: "Tests/PostgresProbe"
        ),

        .testTarget(name: "DapodikCryptoTests", dependencies: ["DapodikCrypto"]),
        .testTarget(name: "DapodikAccountsTests", dependencies: ["DapodikAccounts"]),
        .testTarget(name: "DapodikCodesTests", dependencies: ["DapodikCodes"]),
        // Python/ holds the independent checkers (Python's email package, an aiosmtpd server).
        .testTarget(name: "DapodikMailTests", dependencies: ["DapodikMail"], exclude: ["Python"]),
        .testTarget(
            name: "DapodikStorageTests", dependencies: ["DapodikStorage", "DapodikStorageContract", "StorageProbe"]),
        .testTarget(
            name: "DapodikPostgresTests",
            dependencies: ["DapodikPostgres", "DapodikStorageContract", "DapodikVerification", "PostgresProbe"],
            exclude: ["Python"]
        ),
        .testTarget(name: "DapodikVerificationTests", dependencies: ["DapodikVerification"]),
        .testTarget(name: "ExampleTests", dependencies: ["dapodik-verify", "EmbeddingExample"]),
    ]
)

// The same settings for every target (as apple/swift-log does).
for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
