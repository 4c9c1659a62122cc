#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

/// Where a challenge stands. Every state but ``open`` is final.
package enum ChallengeState: Sendable, Hashable, Codable {
    /// Codes may be issued and submitted.
    case open
    /// The code with number `ordinal` was submitted at `at`; the address is verified.
    case verified(ordinal: Int, at: Date)
    /// The challenge was cancelled at `at`, for `reason`.
    case cancelled(reason: CancellationReason, at: Date)
    /// The last allowed wrong attempt was made at `at`; no code is accepted any more.
    case exhausted(at: Date)

    /// Whether the challenge still accepts codes.
    public var isOpen: Bool { self == .open }
}
