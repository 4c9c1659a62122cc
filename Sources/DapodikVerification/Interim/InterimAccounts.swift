// INTERIM: stand-in for the account model of issue 2 until the accounts branch lands on main.
// Delete this file when `Account` exists in DapodikAccounts.
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import DapodikCrypto

public struct NPSN: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String
    public init(_ string: String) throws(ValidationError) {
        guard string.count == 8, string.allSatisfy(\.isNumber) else {
            throw ValidationError(.init("npsn"), field: "npsn", indonesian: "NPSN", english: "NPSN")
        }
        value = string
    }
    public var description: String { value }
}

public struct NUPTK: Sendable, Hashable, Codable {
    public let value: String
    public init(_ string: String) throws(ValidationError) { value = string }
}

public struct School: Sendable, Hashable, Codable {
    public var npsn: NPSN
    public var name: String
    public var timeZone: SchoolTimeZone
    public init(npsn: NPSN, name: String, timeZone: SchoolTimeZone) {
        self.npsn = npsn
        self.name = name
        self.timeZone = timeZone
    }
}

public enum Role: String, Sendable, Hashable, Codable {
    case `operator`
    case principal
    case ptk
}

public enum EmailStatus: Sendable, Hashable, Codable {
    case unverified
    case verified(at: Date, address: EmailAddress)
}

public struct PasswordCredential: Sendable, Hashable, Codable {
    public var encoded: String
}

public protocol PasswordHasher: Sendable {
    func hash(_ password: String) -> PasswordCredential
    func verify(_ password: String, against credential: PasswordCredential) -> Bool
    func needsRehash(_ credential: PasswordCredential) -> Bool
}

public struct PBKDF2PasswordHasher: PasswordHasher {
    public var iterations: Int
    public init(iterations: Int = 600_000) { self.iterations = iterations }
    public func hash(_ password: String) -> PasswordCredential {
        let salt = Crypto.randomBytes(16)
        let key = Crypto.pbkdf2SHA256(password: Array(password.utf8), salt: salt, iterations: iterations, length: 32)
        return PasswordCredential(encoded: "\(iterations)$" + hex(salt) + "$" + hex(key))
    }
    public func verify(_ password: String, against credential: PasswordCredential) -> Bool {
        let parts = credential.encoded.split(separator: "$")
        guard parts.count == 3, let iterations = Int(parts[0]) else { return false }
        let salt = unhex(String(parts[1]))
        let key = Crypto.pbkdf2SHA256(password: Array(password.utf8), salt: salt, iterations: iterations, length: 32)
        return Crypto.constantTimeEquals(hex(key).utf8, parts[2].utf8)
    }
    public func needsRehash(_ credential: PasswordCredential) -> Bool {
        !credential.encoded.hasPrefix("\(iterations)$")
    }
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16) }.joined(separator: ":") }
    private func unhex(_ string: String) -> [UInt8] { string.split(separator: ":").compactMap { UInt8($0, radix: 16) } }
}

public struct PasswordPolicy: Sendable {
    public init() {}
    public func validate(_ password: String, username: String?, email: EmailAddress?) throws(ValidationError) {
        guard password.count >= 8 else {
            throw ValidationError(.init("password.tooShort"), field: "password", indonesian: "pendek", english: "short")
        }
    }
}

public struct Account: Sendable, Hashable, Codable {
    public var id: AccountID
    public var role: Role
    public var school: NPSN
    public var displayName: String
    public var nuptk: NUPTK?
    public var username: String
    public var email: EmailAddress?
    public var emailStatus: EmailStatus
    public var password: PasswordCredential?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: UInt64
}

extension EmailAddress {
    public var suggestedCorrection: EmailAddress? {
        domain == "gmial.com" ? try? EmailAddress(localPart + "@gmail.com") : nil
    }
    public var masked: String { String(localPart.prefix(1)) + "•••@" + domain }
}
