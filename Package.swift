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
        // The caller's language and localized messages: every store's and transport's errors conform to
        // LocalizedFailure, so their implementers need it without the account model.
        .library(name: "DapodikLanguage", targets: ["DapodikLanguage"]),
        .library(name: "DapodikCodes", targets: ["DapodikCodes"]),
        .library(name: "DapodikMail", targets: ["DapodikMail"]),
        .library(name: "DapodikStorage", targets: ["DapodikStorage"]),
        .library(name: "DapodikSMTP", targets: ["DapodikSMTP"]),
        // The store contract as checks any store's tests run against their store (swift-nio's
        // NIOTestUtils verifiers): Documentation/ImplementingAStore.md.
        .library(name: "DapodikStorageContract", targets: ["DapodikStorageContract"]),
        // A RecordStore on PostgreSQL; its code and its dependency exist only with the trait on.
        .library(name: "DapodikPostgres", targets: ["DapodikPostgres"]),
    ],
    traits: [
        .trait(
            name: "SMTP",
            description: "An SMTP submission transport (implicit TLS or required STARTTLS) over SwiftNIO."),
        .trait(
            name: "PostgreSQL",
            description: "A RecordStore on PostgreSQL over vapor/postgres-nio."),
    ],
    // Only enabled traits pull these in: with no trait, nothing is fetched or built.
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Internal crypto seam: SHA-256, HMAC, PBKDF2, constant-time equality, random bytes and UUIDs.
        // Not a product; other targets use its `package` symbols.
        .target(name: "DapodikCrypto", dependencies: ["CDapodikSHA", "CDapodikRandom", "DapodikLocking"]),
        // SHA-256 with the CPU's SHA instructions (x86-64 SHA-NI, ARMv8 SHA2), chosen at run time by
        // DapodikCrypto, and CRC-32C with its CRC instructions (SSE4.2, ARMv8 CRC32), chosen at run time
        // by DapodikStorage; empty of them on other architectures. C, so no package is needed.
        .target(name: "CDapodikSHA"),
        // getrandom(2), which the Glibc module does not declare, for DapodikCrypto; empty off Linux.
        .target(name: "CDapodikRandom"),
        // GNU calls for DapodikMail: pipe2 and closefrom for the sendmail child, renameat2 for Maildir.
        .target(name: "CDapodikSystemCalls"),
        // Internal lock over pthread_mutex_t, which ThreadSanitizer sees (Synchronization.Mutex it
        // does not, on this toolchain). Not a product; other targets use its `package` symbols.
        .target(name: "DapodikLocking"),
        // The caller's language (Language, LocalizedText, LocalizedFailure); depends on nothing.
        .target(name: "DapodikLanguage"),
        // The host's users and the words for its `errno` values, shared by the store and the mail.
        .target(name: "DapodikHostSystem", dependencies: ["DapodikLanguage"]),
        .target(name: "DapodikAccounts", dependencies: ["DapodikLanguage", "DapodikCrypto"]),
        .target(name: "DapodikCodes", dependencies: ["DapodikAccounts", "DapodikCrypto"]),
        .target(
            name: "DapodikMail",
            dependencies: [
                "DapodikAccounts", "DapodikCrypto", "DapodikLocking", "DapodikHostSystem", "CDapodikSystemCalls",
            ]),
        .target(
            name: "DapodikStorage",
            dependencies: ["DapodikLanguage", "DapodikLocking", "DapodikHostSystem", "CDapodikSHA"]),
        .target(name: "DapodikStorageContract", dependencies: ["DapodikStorage"]),
        .target(
            name: "DapodikPostgres",
            dependencies: [
                "DapodikStorage", "DapodikLocking", "DapodikCrypto", "DapodikHostSystem",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["PostgreSQL"])),
            ]
        ),
        .target(
            name: "DapodikVerification",
            dependencies: [
                "DapodikAccounts", "DapodikCodes", "DapodikMail", "DapodikStorage", "DapodikCrypto", "DapodikLocking",
                "DapodikHostSystem",
            ]
        ),

        // The SMTP transport: empty unless the SMTP trait is on (its code is under `#if SMTP`).
        .target(
            name: "DapodikSMTP",
            dependencies: [
                "DapodikMail", "DapodikHostSystem",
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["SMTP"])),
                .product(name: "NIOPosix", package: "swift-nio", condition: .when(traits: ["SMTP"])),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["SMTP"])),
            ]
        ),

        .executableTarget(
            name: "dapodik-verify",
            dependencies: [
                "DapodikVerification", "DapodikStorage", "DapodikLocking", "DapodikHostSystem", "CDapodikVerifyStart",
                .target(name: "DapodikSMTP", condition: .when(traits: ["SMTP"])),
                .target(name: "DapodikPostgres", condition: .when(traits: ["PostgreSQL"])),
            ],
            path: "Examples/dapodik-verify"
        ),
        // The CLI's start: its standard descriptors opened before anything else runs.
        .target(name: "CDapodikVerifyStart", path: "Examples/CDapodikVerifyStart"),
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
            dependencies: ["DapodikPostgres", "DapodikStorage", "DapodikVerification"],
            path: "Tests/PostgresProbe"
        ),

        // What the test targets share (temporary directories, child processes, outside programs, the
        // Python test servers); depends on no module of the package. Not a product.
        .target(name: "DapodikTestSupport", path: "Tests/DapodikTestSupport"),
        // Python/ holds the server the launcher's own tests start.
        .testTarget(name: "DapodikTestSupportTests", dependencies: ["DapodikTestSupport"], exclude: ["Python"]),

        .testTarget(name: "DapodikCryptoTests", dependencies: ["DapodikCrypto", "DapodikTestSupport"]),
        .testTarget(name: "DapodikLockingTests", dependencies: ["DapodikLocking"]),
        .testTarget(
            name: "DapodikAccountsTests", dependencies: ["DapodikAccounts", "DapodikCrypto", "DapodikTestSupport"]),
        .testTarget(name: "DapodikCodesTests", dependencies: ["DapodikCodes"]),
        // Python/ holds the independent checkers (Python's email package, an aiosmtpd server);
        // Fixtures/ the bounce messages the tests read.
        .testTarget(
            name: "DapodikMailTests", dependencies: ["DapodikMail", "DapodikCrypto", "DapodikTestSupport"],
            exclude: ["Python", "Fixtures"]),
        .testTarget(
            name: "DapodikStorageTests",
            dependencies: [
                "DapodikStorage", "DapodikStorageContract", "DapodikLocking", "StorageProbe", "DapodikTestSupport",
            ],
            // Fixtures/: a store written by an earlier release (read from the source tree).
            exclude: ["Fixtures"]),
        // The PostgreSQL test server (`.ci/with-postgres`), for every test target that runs against it.
        .target(
            name: "DapodikPostgresTestSupport", dependencies: ["DapodikPostgres", "DapodikStorage"],
            path: "Tests/DapodikPostgresTestSupport"),
        .testTarget(
            name: "DapodikPostgresTests",
            dependencies: [
                "DapodikPostgres", "DapodikStorageContract", "DapodikVerification", "DapodikLocking", "PostgresProbe",
                "DapodikTestSupport", "DapodikPostgresTestSupport",
            ],
            exclude: ["Python"]
        ),
        .testTarget(
            name: "DapodikVerificationTests",
            dependencies: [
                "DapodikVerification", "DapodikStorageContract", "DapodikLocking", "DapodikTestSupport",
                "DapodikPostgresTestSupport",
            ]),
        // Python/ holds the test servers (aiosmtpd with TLS and AUTH, a scripted server for the edges).
        .testTarget(
            name: "DapodikSMTPTests",
            dependencies: [
                "DapodikSMTP", "DapodikAccounts", "DapodikMail", "DapodikLocking", "DapodikTestSupport",
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["SMTP"])),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["SMTP"])),
            ],
            exclude: ["Python"]
        ),
        .testTarget(name: "ExampleTests", dependencies: ["dapodik-verify", "EmbeddingExample", "DapodikTestSupport"]),
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
