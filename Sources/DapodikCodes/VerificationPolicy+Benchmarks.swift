public import DapodikAccounts

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension VerificationPolicy {
    /// The check of a submitted code, for the package's own benchmarks (`Benchmarks/`, which is its
    /// own package and sees no `package` symbol): SPI, not API, so it may change with the policy.
    ///
    /// Issues `code` on a new challenge for `address`, then returns a function that evaluates `code`
    /// against it, as ``VerificationPolicy`` does for every submission: one keyed digest per code of
    /// the challenge and a constant-time comparison. The challenge is never stored, so every call
    /// sees the same single code.
    /// - Parameters:
    ///   - code: The code to issue and then submit.
    ///   - address: The address the challenge verifies.
    ///   - now: The time of the issue and of every check.
    ///   - keyRing: The keys that digest and check the code.
    /// - Returns: A function that checks `code` once and says whether it verified.
    /// - Throws: ``CodeError`` when the policy refuses to issue the code (a fresh challenge never is).
    @_spi(Benchmarks)
    public func codeCheck(
        issuing code: VerificationCode, to address: EmailAddress, at now: Date, keyRing: CodeKeyRing
    ) throws(CodeError) -> @Sendable () -> Bool {
        let open = VerificationChallenge(account: .random(), purpose: .staffAddress, address: address, createdAt: now)
        let challenge = try issuing(code, on: open, at: now, recentSendsToAddress: [], keyRing: keyRing)
        return {
            if case .verified = self.evaluate(code, for: challenge, at: now, keyRing: keyRing).outcome { return true }
            return false
        }
    }
}
