#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The account as its owner sees it on BIODATA → Akun: who, which address, whether it is
/// verified, when it last changed, and where the verification stands.
public struct AccountOverview: Sendable, Hashable {
    /// The account.
    public var account: AccountID
    /// The role.
    public var role: Role
    /// The person's name.
    public var displayName: DisplayName
    /// The login name.
    public var username: Username
    /// The *Email Aktif*: where codes go. Shown in full to the account's owner, so they can check
    /// it before asking for a code (VERIFIKASI SEKARANG, then LANJUT).
    public var email: EmailAddress?
    /// Whether the current address is verified ("Terverifikasi"), or not ("belum verifikasi").
    public var isVerified: Bool
    /// When the account last changed.
    public var updatedAt: Date
    /// The school's name.
    public var schoolName: String
    /// The school's NPSN.
    public var npsn: NPSN
    /// Where the verification stands.
    public var status: DeliveryStatus
}

/// The result of a successful login.
///
/// Keep it for as long as the person stays logged in, and check it with
/// ``VerificationService/resume(_:)`` when it is used again: a session ends when the account's
/// password changes anywhere (another device, the operator, the command line), when the account
/// is removed, and it comes back with what changed since (a verified address, say).
public struct Session: Sendable, Hashable {
    /// The logged-in account: pass it as `caller` to the service's calls.
    public var account: AccountID
    /// Its role.
    public var role: Role
    /// Its school.
    public var npsn: NPSN
    /// Whether its e-mail address is verified (an operator must verify first).
    public var isEmailVerified: Bool
    /// Its school's time zone: show every time this person reads (when to try again, when a code
    /// expires) in it.
    public var timeZone: SchoolTimeZone
    /// Which password the session was opened with: ``VerificationService/resume(_:)`` ends the
    /// session once the account's password is another.
    public var credentialStamp: CredentialStamp
}
