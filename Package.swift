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
    ],
    targets: [
        // Internal crypto seam: SHA-256, HMAC, PBKDF2, constant-time equality, random bytes.
        // Not a product; other targets use its `package` symbols.
        .target(name: "DapodikCrypto"),
        // Internal lock over pthread_mutex_t, which ThreadSanitizer sees (Synchronization.Mutex it
        // does not, on this toolchain). Not a product; other targets use its `package` symbols.
        .target(name: "DapodikLocking"),
        .target(name: "DapodikAccounts", dependencies: ["DapodikCrypto"]),
        .target(name: "DapodikCodes", dependencies: ["DapodikAccounts", "DapodikCrypto"]),
        .target(name: "DapodikMail", dependencies: ["DapodikAccounts", "DapodikCrypto", "DapodikLocking"]),
        .target(name: "DapodikStorage", dependencies: ["DapodikAccounts", "DapodikLocking"]),
        .target(
            name: "DapodikVerification",
            dependencies: [
                "DapodikAccounts", "DapodikCodes", "DapodikMail", "DapodikStorage", "DapodikCrypto", "DapodikLocking",
            ]
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

        .testTarget(name: "DapodikCryptoTests", dependencies: ["DapodikCrypto"]),
        .testTarget(name: "DapodikLockingTests", dependencies: ["DapodikLocking"]),
        .testTarget(name: "DapodikAccountsTests", dependencies: ["DapodikAccounts"]),
        .testTarget(name: "DapodikCodesTests", dependencies: ["DapodikCodes"]),
        // Python/ holds the independent checkers (Python's email package, an aiosmtpd server).
        .testTarget(name: "DapodikMailTests", dependencies: ["DapodikMail"], exclude: ["Python"]),
        .testTarget(name: "DapodikStorageTests", dependencies: ["DapodikStorage", "DapodikLocking", "StorageProbe"]),
        .testTarget(name: "DapodikVerificationTests", dependencies: ["DapodikVerification", "DapodikLocking"]),
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
