import DapodikVerification
import Synchronization

/// The time zone of the school of whoever logged in during one command, once known, so that every
/// time the command shows (including in an error, such as when to try again) is in that zone.
final class SessionZone: Sendable {
    private let zone = Mutex<SchoolTimeZone?>(nil)

    /// The zone of the logged-in person's school; `nil` before (or without) a login.
    var value: SchoolTimeZone? { zone.withLock { $0 } }

    /// Records the zone of the school of the person who just logged in.
    func record(_ timeZone: SchoolTimeZone) { zone.withLock { $0 = timeZone } }
}
