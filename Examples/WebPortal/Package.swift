// swift-tools-version: 6.2
import PackageDescription

// The web portal example: the seed's screens (school portal and staff portal) served by a small
// Hummingbird 2 application that embeds DapodikVerification. A package of its own, like
// Benchmarks/, so the library's own build keeps depending on no package at all.

let package = Package(
    name: "DapodikWebPortal",
    platforms: [.macOS(.v15)],
    traits: [
        // Off by default: the SMTP transport brings swift-nio-ssl (BoringSSL), the slowest package
        // to compile; the demo and CI send into the Maildir.
        .trait(name: "SMTP", description: "Send through an SMTP server (--smtp) with the library's SMTP trait."),
        // Off by default too: postgres-nio and its dependencies.
        .trait(
            name: "PostgreSQL",
            description: "Keep the records in PostgreSQL (--store postgres://…) with the library's PostgreSQL trait."),
    ],
    dependencies: [
        .package(
            name: "DapodikVerification", path: "../..",
            traits: [
                .trait(name: "SMTP", condition: .when(traits: ["SMTP"])),
                .trait(name: "PostgreSQL", condition: .when(traits: ["PostgreSQL"])),
            ]),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // NIOHTTPTypes: the HTTP parts Hummingbird's HTTP/1 channel passes between its handlers.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        // The application: routes, sessions, CSRF, pages. A library so the route tests can build it.
        .target(
            name: "WebPortalCore",
            dependencies: [
                .product(name: "DapodikVerification", package: "DapodikVerification"),
                // The SMTP transport's error codes, which the code page puts in the person's words.
                .product(name: "DapodikSMTP", package: "DapodikVerification", condition: .when(traits: ["SMTP"])),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .executableTarget(
            name: "dapodik-portal",
            dependencies: [
                "WebPortalCore",
                .product(name: "DapodikVerification", package: "DapodikVerification"),
                .product(name: "DapodikSMTP", package: "DapodikVerification", condition: .when(traits: ["SMTP"])),
                .product(
                    name: "DapodikPostgres", package: "DapodikVerification", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "WebPortalTests",
            dependencies: [
                "WebPortalCore",
                .product(name: "DapodikVerification", package: "DapodikVerification"),
                // The route tests over PostgreSQL (`.ci/webportal-postgres`).
                .product(
                    name: "DapodikPostgres", package: "DapodikVerification", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
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
