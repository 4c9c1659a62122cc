import DapodikAccounts
import Foundation

/// Factories for the tests: accounts of two schools, at a fixed instant.
enum Fixtures {
    static let start = Date(timeIntervalSince1970: 1_725_000_000)
    static let schoolA = try! NPSN("20100001")
    static let schoolB = try! NPSN("20100002")

    static func account(
        _ role: Role, school: NPSN = schoolA, username: String = "budi", email: String? = "budi@gmail.com",
        verified: Bool = false
    ) -> Account {
        let address = email.map { try! EmailAddress($0) }
        return Account(
            id: .random(), role: role, schoolNPSN: school, displayName: try! DisplayName("Budi Santoso"),
            username: try! Username(username), email: address,
            emailStatus: verified && address != nil ? .verified(at: start, address: address!) : .unverified,
            createdAt: start)
    }
}
