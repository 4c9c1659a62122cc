#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

// Policies state their times as `Duration`; stored instants are `Date`. These are the package's one
// bridge between the two.

extension Duration {
    /// This duration in seconds, for `Date` arithmetic.
    package var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

extension Date {
    /// This instant moved by `duration`.
    package func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.timeInterval)
    }

    /// This instant moved back by `duration`.
    package func subtracting(_ duration: Duration) -> Date {
        addingTimeInterval(-duration.timeInterval)
    }
}
