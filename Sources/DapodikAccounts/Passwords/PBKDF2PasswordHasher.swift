package import DapodikCrypto

/// The default ``PasswordHasher``: PBKDF2 with HMAC-SHA256 (RFC 8018 §5.2).
///
/// Defaults follow the OWASP Password Storage Cheat Sheet (2023 onwards): 600,000 iterations of
/// PBKDF2-HMAC-SHA256, a random 16-byte salt per password, a 32-byte derived key (SHA-256's
/// output size: asking for more would double the defender's work but not the attacker's).
///
/// ## Encoding
/// A credential is a string in the PHC string format
/// (<https://github.com/P-H-C/phc-string-format>):
///
///     $pbkdf2-sha256$i=600000$<salt>$<hash>
///
/// `i` is the iteration count in decimal without leading zeros; `<salt>` and `<hash>` are the raw
/// bytes in base64 with the standard alphabet of RFC 4648 §4 (`A–Z a–z 0–9 + /`) and without `=`
/// padding, so a 16-byte salt is 22 characters and a 32-byte hash 43. The hash length is the
/// decoded length of `<hash>`. Python reproduces a credential with
/// `hashlib.pbkdf2_hmac("sha256", password.encode(), salt, i)`.
///
/// ## The password's bytes
/// The password is normalized to Unicode NFKC and encoded as UTF-8 before hashing, as NIST SP
/// 800-63B §5.1.1.2 recommends, so the same password typed on different keyboards (a composed
/// `é` or `e` plus a combining accent) gives the same hash.
public struct PBKDF2PasswordHasher: PasswordHasher {
    /// The scheme's name in the encoded string.
    public static let schemeIdentifier = "pbkdf2-sha256"
    /// OWASP's recommendation for PBKDF2-HMAC-SHA256.
    public static let defaultIterations = 600_000
    /// Iteration counts a stored credential may carry. Above this, one login could occupy a core
    /// for minutes, so a tampered credential is refused instead.
    public static let acceptedIterations = 1...10_000_000
    /// Salt lengths, in bytes, a stored credential may carry (NIST SP 800-132 §5.1 asks at least 16
    /// for new salts; shorter ones are still read, to be rehashed).
    public static let acceptedSaltLengths = 8...64
    /// Hash lengths, in bytes, a stored credential may carry.
    public static let acceptedHashLengths = 16...64

    /// The iteration count of new hashes.
    public let iterations: Int
    /// The salt length of new hashes, in bytes.
    public let saltLength: Int
    /// The derived key length of new hashes, in bytes.
    public let hashLength: Int
    /// Where ``hashTogether(_:)`` and ``verifyEqualizingCostTogether(_:against:)`` derive: the
    /// process's shared engine, so that every login and registration of the process can pair with
    /// every other; tests give one of their own.
    package var pairing = PBKDF2Pairing.shared

    /// A hasher with the given parameters for new hashes. Existing credentials verify with the
    /// parameters they carry, whatever these are.
    /// - Parameters:
    ///   - iterations: Iterations for new hashes; 600,000 by default. Tests may use a few.
    ///   - saltLength: Salt bytes for new hashes; 16 by default.
    ///   - hashLength: Derived key bytes; 32 by default.
    /// - Precondition: Each parameter lies in its `accepted…` range (a configuration mistake is a
    ///   programming error, found at start-up).
    public init(iterations: Int = defaultIterations, saltLength: Int = 16, hashLength: Int = 32) {
        precondition(Self.acceptedIterations.contains(iterations), "PBKDF2 iterations out of range")
        precondition(Self.acceptedSaltLengths.contains(saltLength), "PBKDF2 salt length out of range")
        precondition(Self.acceptedHashLengths.contains(hashLength), "PBKDF2 hash length out of range")
        self.iterations = iterations
        self.saltLength = saltLength
        self.hashLength = hashLength
    }

    /// Hashes a password with a fresh salt from the system's secure generator.
    /// - Parameter password: The password as typed.
    /// - Returns: The credential, encoded as described in the type's documentation.
    public func hash(_ password: String) -> PasswordCredential {
        hash(password, salt: Crypto.randomBytes(saltLength))
    }

    /// ``hash(_:)`` for a caller in a task: with x86-64 SHA-NI a hash that overlaps another task's hash
    /// or check is derived beside it on one core, as ``verifyEqualizingCostTogether(_:against:)`` is;
    /// elsewhere on the caller's thread.
    /// - Parameter password: The password as typed.
    /// - Returns: The credential, as ``hash(_:)`` makes it.
    public func hashTogether(_ password: String) async -> PasswordCredential {
        let salt = Crypto.randomBytes(saltLength)
        let derived = await pairing.pbkdf2SHA256(
            password: Self.bytes(of: password), salt: salt, iterations: iterations, length: hashLength)
        return credential(salt: salt, derived: derived)
    }

    /// Hashes several passwords, each with a fresh salt, two at a time, their compressions interleaved
    /// where the CPU has SHA instructions: with x86-64 SHA-NI one core derives two keys in about the time
    /// of one (`PerformanceHistory.md`, sixteenth pass); ARMv8 SHA2 interleaves the same way (unmeasured).
    /// - Parameter passwords: The passwords as typed.
    /// - Returns: One credential per password, in the same order, as ``hash(_:)`` makes them.
    public func hashAll(_ passwords: [String]) -> [PasswordCredential] {
        hashAll(passwords, salts: passwords.map { _ in Crypto.randomBytes(saltLength) })
    }

    /// ``hashAll(_:)`` with given salts (one per password): for cross-checked values only.
    func hashAll(_ passwords: [String], salts: [[UInt8]]) -> [PasswordCredential] {
        precondition(passwords.count == salts.count, "one salt per password")
        var credentials: [PasswordCredential] = []
        credentials.reserveCapacity(passwords.count)
        var index = 0
        while index + 1 < passwords.count {
            let derived = Crypto.pbkdf2SHA256(
                (Self.bytes(of: passwords[index]), salts[index]),
                (Self.bytes(of: passwords[index + 1]), salts[index + 1]),
                iterations: iterations, length: hashLength)
            credentials.append(credential(salt: salts[index], derived: derived.first))
            credentials.append(credential(salt: salts[index + 1], derived: derived.second))
            index += 2
        }
        if index < passwords.count { credentials.append(hash(passwords[index], salt: salts[index])) }
        return credentials
    }

    /// Hashes with a given salt: for reproducing published or cross-checked values only.
    func hash(_ password: String, salt: [UInt8]) -> PasswordCredential {
        let derived = Crypto.pbkdf2SHA256(
            password: Self.bytes(of: password), salt: salt, iterations: iterations,
            length: hashLength)
        return credential(salt: salt, derived: derived)
    }

    /// What PBKDF2 derives from: the password normalized to NFKC, as UTF-8 (see the type's documentation).
    fileprivate static func bytes(of password: String) -> [UInt8] {
        Array(password.normalizedForHashing().utf8)
    }

    /// The PHC string of a derivation with this hasher's iteration count.
    private func credential(salt: [UInt8], derived: [UInt8]) -> PasswordCredential {
        PasswordCredential(
            encoded: "$\(Self.schemeIdentifier)$i=\(iterations)$\(Base64NoPadding.encode(salt))"
                + "$\(Base64NoPadding.encode(derived))")
    }

    /// Checks a password against a credential, deriving with the credential's own parameters and
    /// comparing in constant time.
    /// - Parameters:
    ///   - password: The password as typed.
    ///   - credential: The stored credential.
    /// - Returns: `true` when the password matches.
    /// - Throws: ``PasswordHashError``: `.unsupportedScheme` for another scheme's credential,
    ///   `.malformed` for one that is not well-formed, `.parametersOutOfRange` for iterations, salt
    ///   or hash lengths outside the accepted ranges. A wrong password is *not* an error.
    public func verify(_ password: String, against credential: PasswordCredential) throws(PasswordHashError) -> Bool {
        let parsed = try Parsed(credential.encoded)
        let derived = Crypto.pbkdf2SHA256(
            password: Self.bytes(of: password), salt: parsed.salt,
            iterations: parsed.iterations, length: parsed.hash.count)
        return Crypto.constantTimeEquals(derived, parsed.hash)
    }

    /// Checks a password against a credential, or against none, always doing at least the PBKDF2
    /// work of a check with this hasher's parameters.
    ///
    /// The work of a derivation is its iteration count times its output blocks (32 bytes each,
    /// RFC 8018 §5.2). A credential made with fewer (an account dormant since the parameters were
    /// raised) is checked and then the missing work is done on a throwaway salt; no credential, or
    /// an unreadable one, gets the whole work on a throwaway salt. So unknown accounts, current
    /// credentials and outdated ones cost the same. A credential made with *more* work than the
    /// current parameters (the parameters were lowered) costs its own, more: lowering the
    /// parameters is therefore visible in timing until those accounts log in again.
    /// - Parameters:
    ///   - password: The password as typed.
    ///   - credential: The stored credential, or `nil`.
    /// - Returns: `true` when the credential is there, readable and matches.
    public func verifyEqualizingCost(_ password: String, against credential: PasswordCredential?) -> Bool {
        verifyCountingWork(password, against: credential).matches
    }

    /// ``verifyEqualizingCost(_:against:)`` for a caller in a task: with x86-64 SHA-NI a check that
    /// overlaps another task's is derived beside it on one core, two keys in about the time of one,
    /// the caller suspended meanwhile (`PerformanceHistory.md`, seventeenth pass); elsewhere it runs on the
    /// caller's thread. The answer and the work done are those of ``verifyEqualizingCost(_:against:)``,
    /// and so is the time within a few percent: a derivation left for pairing waits at most one
    /// chunk (a third of a millisecond) to be taken, and a lane of two runs at nearly the speed of
    /// one alone. Whether a check is paired depends only on what else runs, never on the credential.
    /// - Parameters:
    ///   - password: The password as typed.
    ///   - credential: The stored credential, or `nil`.
    /// - Returns: `true` when the credential is there, readable and matches.
    public func verifyEqualizingCostTogether(_ password: String, against credential: PasswordCredential?) async
        -> Bool
    {
        await verifyCountingWorkTogether(password, against: credential).matches
    }

    /// ``verifyEqualizingCost(_:against:)``, also returning the PBKDF2 work it did (iterations ×
    /// output blocks, summed over every derivation), so tests can count it instead of timing it.
    package func verifyCountingWork(_ password: String, against credential: PasswordCredential?)
        -> (matches: Bool, work: Int)
    {
        let check = EqualizedCheck(password, against: credential, by: self)
        return check.outcome(
            check.derivations.map {
                Crypto.pbkdf2SHA256(
                    password: check.password, salt: $0.salt, iterations: $0.iterations, length: $0.length)
            })
    }

    /// ``verifyEqualizingCostTogether(_:against:)``, also returning the PBKDF2 work it did.
    package func verifyCountingWorkTogether(_ password: String, against credential: PasswordCredential?) async
        -> (matches: Bool, work: Int)
    {
        let check = EqualizedCheck(password, against: credential, by: self)
        var keys: [[UInt8]] = []
        for derivation in check.derivations {
            keys.append(
                await pairing.pbkdf2SHA256(
                    password: check.password, salt: derivation.salt, iterations: derivation.iterations,
                    length: derivation.length))
        }
        return check.outcome(keys)
    }

    /// The derivations of a check that equalizes cost, chosen before any runs.
    ///
    /// The work of a derivation is its iteration count times its output blocks (32 bytes each,
    /// RFC 8018 §5.2). A readable credential is derived with its own parameters; when that is less
    /// work than the hasher's (or there is no readable credential) the missing work follows on a
    /// throwaway salt, one 32-byte block per iteration.
    private struct EqualizedCheck {
        /// One PBKDF2 derivation to run.
        struct Derivation {
            let salt: [UInt8]
            let iterations: Int
            let length: Int
        }

        /// The password's bytes.
        let password: [UInt8]
        /// The credential's hash, when it is readable; the first derivation is then its own.
        let expected: [UInt8]?
        /// What to derive, in order; the work of all of them together is at least the hasher's.
        let derivations: [Derivation]

        init(_ password: String, against credential: PasswordCredential?, by hasher: PBKDF2PasswordHasher) {
            self.password = PBKDF2PasswordHasher.bytes(of: password)
            var derivations: [Derivation] = []
            let parsed = credential.flatMap { try? Parsed($0.encoded) }
            if let parsed {
                derivations.append(
                    Derivation(salt: parsed.salt, iterations: parsed.iterations, length: parsed.hash.count))
            }
            let done = parsed.map { PBKDF2PasswordHasher.work(iterations: $0.iterations, length: $0.hash.count) } ?? 0
            let target = PBKDF2PasswordHasher.work(iterations: hasher.iterations, length: hasher.hashLength)
            if done < target {
                derivations.append(
                    Derivation(salt: Crypto.randomBytes(hasher.saltLength), iterations: target - done, length: 32))
            }
            self.expected = parsed?.hash
            self.derivations = derivations
        }

        /// Whether the credential matched, given each derivation's key in order, and the work done.
        func outcome(_ keys: [[UInt8]]) -> (matches: Bool, work: Int) {
            let matches = expected.map { Crypto.constantTimeEquals(keys[0], $0) } ?? false
            let work = derivations.reduce(0) {
                $0 + PBKDF2PasswordHasher.work(iterations: $1.iterations, length: $1.length)
            }
            return (matches, work)
        }
    }

    /// PBKDF2-HMAC-SHA256's work for a derivation: iterations times 32-byte output blocks.
    static func work(iterations: Int, length: Int) -> Int {
        iterations * ((length + 31) / 32)
    }

    /// Whether the credential differs from what this hasher makes now: another scheme, another
    /// iteration count, salt or hash length, or unreadable.
    /// - Parameter credential: The stored credential.
    /// - Returns: `true` when the credential should be replaced at the next successful login.
    public func needsRehash(_ credential: PasswordCredential) -> Bool {
        guard let parsed = try? Parsed(credential.encoded) else { return true }
        return parsed.iterations != iterations || parsed.salt.count != saltLength || parsed.hash.count != hashLength
    }

    /// A credential taken apart and checked.
    private struct Parsed {
        let iterations: Int
        let salt: [UInt8]
        let hash: [UInt8]

        init(_ encoded: String) throws(PasswordHashError) {
            func malformed() -> PasswordHashError {
                PasswordHashError(
                    .malformed, indonesian: "Data kata sandi yang tersimpan rusak atau tidak dikenali.",
                    english: "The stored password data is damaged or not recognized.")
            }
            let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
            guard fields.count >= 2, fields[0].isEmpty, !fields[1].isEmpty else { throw malformed() }
            guard fields[1] == PBKDF2PasswordHasher.schemeIdentifier else {
                throw PasswordHashError(
                    .unsupportedScheme,
                    indonesian: "Data kata sandi yang tersimpan memakai skema yang tidak didukung.",
                    english: "The stored password data uses a scheme that is not supported.")
            }
            guard fields.count == 5, fields[2].hasPrefix("i=") else { throw malformed() }
            let digits = fields[2].dropFirst(2)
            guard !digits.isEmpty, digits.count <= 9, digits == "0" || digits.first != "0",
                digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let iterations = Int(digits),
                let salt = Base64NoPadding.decode(fields[3]), let hash = Base64NoPadding.decode(fields[4])
            else { throw malformed() }
            guard PBKDF2PasswordHasher.acceptedIterations.contains(iterations),
                PBKDF2PasswordHasher.acceptedSaltLengths.contains(salt.count),
                PBKDF2PasswordHasher.acceptedHashLengths.contains(hash.count)
            else {
                throw PasswordHashError(
                    .parametersOutOfRange,
                    indonesian: "Data kata sandi yang tersimpan memakai parameter di luar batas yang diterima.",
                    english: "The stored password data has parameters outside the accepted range.")
            }
            self.iterations = iterations
            self.salt = salt
            self.hash = hash
        }
    }
}
