// INTERIM: stand-in for DapodikCodes (issue 2) until the crypto-codes branch lands on main.
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import DapodikCrypto

public struct CodeKeyRing: Sendable {
    public var currentKeyID: String
    var keys: [String: [UInt8]]
    public init(currentKeyID: String, keys: [String: [UInt8]]) {
        self.currentKeyID = currentKeyID
        self.keys = keys
    }
    public static func random() -> CodeKeyRing { CodeKeyRing(currentKeyID: "k1", keys: ["k1": Crypto.randomBytes(32)]) }
    package func key(for id: String) -> [UInt8]? { keys[id] }
    func digest(_ code: String, challenge: UUID, keyID: String) -> [UInt8]? {
        guard let key = keys[keyID] else { return nil }
        return Crypto.hmacSHA256(key: key, message: Array((keyID + "|" + challenge.uuidString + "|" + code).utf8))
    }
}

public enum ChallengePurpose: String, Sendable, Hashable, Codable {
    case operatorEmail
    case staffEmail
}

public struct IssuedCode: Sendable, Hashable, Codable {
    public var ordinal: Int
    public var keyID: String
    public var digest: [UInt8]
    public var issuedAt: Date
    public var handedOverAt: Date?
}

public struct Challenge: Sendable, Hashable, Codable {
    public enum State: Sendable, Hashable, Codable {
        case open
        case verified(ordinal: Int, at: Date)
        case cancelled
        case exhausted
    }
    public var id: UUID
    public var account: AccountID
    public var purpose: ChallengePurpose
    public var address: EmailAddress
    public var codes: [IssuedCode]
    public var failedAttempts: Int
    public var state: State
    public init(id: UUID, account: AccountID, purpose: ChallengePurpose, address: EmailAddress) {
        self.id = id
        self.account = account
        self.purpose = purpose
        self.address = address
        self.codes = []
        self.failedAttempts = 0
        self.state = .open
    }
    public mutating func recordHandOver(ordinal: Int, at date: Date) {
        if let index = codes.firstIndex(where: { $0.ordinal == ordinal }), codes[index].handedOverAt == nil {
            codes[index].handedOverAt = date
        }
    }
    public mutating func cancel() { if state == .open { state = .cancelled } }
}

public struct VerificationCode: Sendable, Hashable {
    public let digits: String
    public init(_ string: String) throws(ValidationError) {
        let trimmed = string.filter { !$0.isWhitespace }
        guard trimmed.count == 6, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError(.init("code"), field: "code", indonesian: "kode", english: "code")
        }
        digits = trimmed
    }
    public static func random(length: Int = 6) -> VerificationCode {
        var generator = SystemRandomNumberGenerator()
        return try! VerificationCode(String((0..<length).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) }))
    }
}

public enum IssueDecision: Sendable, Hashable {
    case allowed(codesLeft: Int)
    case refused(reason: String, allowedAt: Date?, codesLeft: Int)
}

public enum SubmissionOutcome: Sendable, Hashable {
    case verified(ordinal: Int)
    case wrong(attemptsLeft: Int)
    case expired
    case attemptsExhausted
    case alreadyVerified
    case noCodeIssued
    case cancelled
}

public struct VerificationPolicy: Sendable {
    public var codeLifetime: TimeInterval = 30 * 60
    public var maximumCodeAge: TimeInterval = 24 * 3600
    public var maximumFailedAttempts = 5
    public var resendCooldown: TimeInterval = 60
    public var maximumCodesPerChallenge = 5
    public var maximumSendsPerAddressPerDay = 10
    public init() {}

    public func expiry(of code: IssuedCode) -> Date {
        let cap = code.issuedAt.addingTimeInterval(maximumCodeAge)
        guard let handedOver = code.handedOverAt else { return cap }
        return min(cap, handedOver.addingTimeInterval(codeLifetime))
    }

    public func issueDecision(for challenge: Challenge, now: Date, sendsToAddressInLast24Hours: Int) -> IssueDecision {
        let left = maximumCodesPerChallenge - challenge.codes.count
        guard challenge.state == .open, left > 0 else { return .refused(reason: "quota", allowedAt: nil, codesLeft: 0) }
        if sendsToAddressInLast24Hours >= maximumSendsPerAddressPerDay {
            return .refused(reason: "address", allowedAt: nil, codesLeft: left)
        }
        if let last = challenge.codes.last, now < last.issuedAt.addingTimeInterval(resendCooldown) {
            return .refused(reason: "cooldown", allowedAt: last.issuedAt.addingTimeInterval(resendCooldown), codesLeft: left)
        }
        return .allowed(codesLeft: left - 1)
    }

    public func issuing(_ code: VerificationCode, in challenge: Challenge, keyRing: CodeKeyRing, now: Date) -> Challenge {
        var next = challenge
        next.codes.append(
            IssuedCode(
                ordinal: challenge.codes.count + 1, keyID: keyRing.currentKeyID,
                digest: keyRing.digest(code.digits, challenge: challenge.id, keyID: keyRing.currentKeyID)!,
                issuedAt: now, handedOverAt: nil))
        return next
    }

    public func evaluate(
        _ code: VerificationCode, in challenge: Challenge, keyRing: CodeKeyRing, now: Date
    ) -> (SubmissionOutcome, Challenge) {
        switch challenge.state {
        case .verified: return (.alreadyVerified, challenge)
        case .cancelled: return (.cancelled, challenge)
        case .exhausted: return (.attemptsExhausted, challenge)
        case .open: break
        }
        guard !challenge.codes.isEmpty else { return (.noCodeIssued, challenge) }
        guard challenge.failedAttempts < maximumFailedAttempts else { return (.attemptsExhausted, challenge) }
        var matchedExpired = false
        for issued in challenge.codes {
            guard let digest = keyRing.digest(code.digits, challenge: challenge.id, keyID: issued.keyID),
                Crypto.constantTimeEquals(digest, issued.digest)
            else { continue }
            if now < expiry(of: issued) {
                var next = challenge
                next.state = .verified(ordinal: issued.ordinal, at: now)
                return (.verified(ordinal: issued.ordinal), next)
            }
            matchedExpired = true
        }
        if matchedExpired { return (.expired, challenge) }
        var next = challenge
        next.failedAttempts += 1
        if next.failedAttempts >= maximumFailedAttempts { next.state = .exhausted }
        return (.wrong(attemptsLeft: maximumFailedAttempts - next.failedAttempts), next)
    }
}
