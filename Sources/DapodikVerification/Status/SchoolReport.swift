#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The operator's picture of a school: who is verified, pending, never started, or undeliverable.
public struct SchoolReport: Sendable, Hashable {
    /// Where one account stands.
    public enum Standing: Sendable, Hashable {
        /// The address is verified.
        case verified(at: Date)
        /// A code was asked for; the status says how its delivery goes.
        case pending(DeliveryStatus)
        /// No code was ever asked for (or the account has no address yet).
        case neverStarted
        /// The last code's e-mail could not be delivered: the address needs correcting.
        case undeliverable(DeliveryStatus)
    }

    /// One account of the school.
    public struct Entry: Sendable, Hashable {
        /// The account.
        public var account: AccountID
        /// The person's name.
        public var displayName: DisplayName
        /// The login name.
        public var username: Username
        /// The address, masked for display.
        public var maskedAddress: String?
        /// Where it stands.
        public var standing: Standing
    }

    /// The school's NPSN.
    public var npsn: NPSN
    /// The school's name.
    public var schoolName: String
    /// The school's PTK accounts, by name.
    public var entries: [Entry]

    /// How many entries are verified.
    public var verifiedCount: Int { entries.filter { if case .verified = $0.standing { true } else { false } }.count }
    /// How many entries are undeliverable.
    public var undeliverableCount: Int {
        entries.filter { if case .undeliverable = $0.standing { true } else { false } }.count
    }
}

// The school report.
extension VerificationService {
    /// The verification picture of the caller's school.
    /// - Parameter caller: The school's verified operator, or its principal.
    /// - Returns: Every PTK account with its standing.
    /// - Throws: ``VerificationError/Code/authorization`` for anyone else. A school with no PTK yet
    ///   is *not* an error.
    public func schoolReport(by caller: AccountID) async throws(VerificationError) -> SchoolReport {
        try await perform {
            let actor = try await self.caller(caller).value
            try requireSchoolReader(actor, of: actor.schoolNPSN)
            guard let school = try await loadSchool(actor.schoolNPSN)?.value else {
                throw VerificationError.schoolNotFound
            }
            var entries: [SchoolReport.Entry] = []
            for account in try await staff(of: school.npsn) {
                let status = try await status(of: account.id, for: .schoolStaff)
                let standing: SchoolReport.Standing
                switch status.state {
                case .verified(let at): standing = .verified(at: at)
                case .notStarted: standing = .neverStarted
                case .failed: standing = .undeliverable(status)
                default: standing = .pending(status)
                }
                entries.append(
                    SchoolReport.Entry(
                        account: account.id, displayName: account.displayName, username: account.username,
                        maskedAddress: account.email?.masked, standing: standing))
            }
            return SchoolReport(npsn: school.npsn, schoolName: school.name.value, entries: entries)
        }
    }
}
