/// Catches a mistyped mail domain before anything is sent: `budi@gmial.com` → "did you mean
/// `budi@gmail.com`?". A pure function of the address and a list of known domains.
///
/// ## The rule
/// 1. A domain that is itself known (``knownDomains``), or a subdomain of a known domain that
///    hands out subdomains (``knownParentDomains``, such as `guru.smp.belajar.id`), is never
///    corrected.
/// 2. Otherwise every known domain within Damerau–Levenshtein distance ``maximumDistance`` (2) is
///    a candidate: one insertion, deletion, substitution or swap of neighbours counts 1
///    (`gmial.com` is 1 from `gmail.com`, `gmail.co` and `gmail.con` are 1, `yaho.co.id` is 1
///    from `yahoo.co.id`).
/// 3. The nearest candidate wins; between equally near ones, the more common (earlier in
///    ``knownDomains``): `hmail.com` is 1 from both `gmail.com` and `ymail.com`, and far more
///    people mean the first.
/// 4. A domain whose name before the top-level part is 3 characters or shorter (`abc.com`) is
///    only corrected at distance 1: two edits on so short a name reach too many real domains.
///
/// A domain this list does not know but that is real (a school's own `sch.id` domain, a
/// company's) is left alone unless it is within reach of a known one; the suggestion is a
/// question to the person, never a silent change.
public struct EmailTypoSuggester: Sendable, Hashable {
    /// Domains that are real, most common first; a suggestion is always one of them.
    public var knownDomains: [String]
    /// Known domains whose subdomains are mailboxes too (`belajar.id` gives
    /// `nama@guru.smp.belajar.id`); a typo in the parent part of such a subdomain is corrected
    /// (`guru.smp.belajr.id` → `guru.smp.belajar.id`).
    public var knownParentDomains: Set<String>
    /// The largest distance that is still taken as a typo.
    public var maximumDistance: Int

    /// The mail domains most used in Indonesia, the ministry's own, and the large international
    /// providers (so that, say, `mail.com` is not "corrected" to `gmail.com`).
    /// Most used first, which breaks ties between equally near domains.
    public static let commonDomains: [String] = [
        "gmail.com", "yahoo.com", "yahoo.co.id", "belajar.id", "outlook.com", "hotmail.com", "ymail.com",
        "icloud.com", "live.com", "rocketmail.com", "kemdikbud.go.id", "kemendikdasmen.go.id", "googlemail.com",
        "outlook.co.id", "msn.com", "me.com", "mac.com", "aol.com", "mail.com", "email.com", "gmx.com",
        "yandex.com", "proton.me", "protonmail.com", "zoho.com", "yahoo.co.uk", "yahoo.com.sg", "hotmail.co.uk",
        "live.co.uk", "telkom.net", "plasa.com",
    ]

    /// The standard suggester: ``commonDomains``, `belajar.id` and `kemdikbud.go.id` as parents,
    /// distance 2.
    public static let standard = EmailTypoSuggester(
        knownDomains: commonDomains, knownParentDomains: ["belajar.id", "kemdikbud.go.id"], maximumDistance: 2)

    /// A suggester over the given domains.
    /// - Parameters:
    ///   - knownDomains: Real domains, most common first; suggestions come only from these.
    ///   - knownParentDomains: Known domains whose subdomains are mailboxes too; each should also
    ///     be in `knownDomains`.
    ///   - maximumDistance: The largest Damerau–Levenshtein distance taken as a typo.
    public init(knownDomains: [String], knownParentDomains: Set<String> = [], maximumDistance: Int = 2) {
        self.knownDomains = knownDomains.map { $0.lowercased() }
        self.knownParentDomains = Set(knownParentDomains.map { $0.lowercased() })
        self.maximumDistance = maximumDistance
    }

    /// The address the person probably meant, if its domain looks like a typo of a known one.
    /// - Parameter address: The address as entered.
    /// - Returns: The same local part at the corrected domain, or `nil` when the domain is known,
    ///   under a known parent, or not within reach of any known domain.
    public func suggestion(for address: EmailAddress) -> EmailAddress? {
        let domain = address.domain
        if knownDomains.contains(domain) { return nil }
        if knownParentDomains.contains(where: { domain.hasSuffix("." + $0) }) { return nil }
        if let corrected = nearestKnown(to: domain, among: knownDomains) {
            return try? EmailAddress(address.localPart + "@" + corrected)
        }
        // A typo in the parent of a subdomain mailbox: compare the domain's last labels only.
        let labels = domain.split(separator: ".")
        for parent in knownParentDomains.sorted() {
            let count = parent.split(separator: ".").count
            guard labels.count > count else { continue }
            let tail = labels.suffix(count).joined(separator: ".")
            if nearestKnown(to: tail, among: [parent]) != nil {
                let head = labels.dropLast(count).joined(separator: ".")
                return try? EmailAddress(address.localPart + "@" + head + "." + parent)
            }
        }
        return nil
    }

    private func nearestKnown(to domain: String, among candidates: [String]) -> String? {
        let name = domain.split(separator: ".").first ?? ""
        let limit = name.count <= 3 ? min(1, maximumDistance) : maximumDistance
        let typed = Array(domain.utf8)
        var best: (domain: String, distance: Int)?
        for candidate in candidates {
            guard let distance = damerauLevenshteinDistance(typed, Array(candidate.utf8), limit: limit) else {
                continue
            }
            if distance < best?.distance ?? Int.max { best = (candidate, distance) }
        }
        return best?.domain
    }
}

extension EmailAddress {
    /// The address the person probably meant, by ``EmailTypoSuggester/standard``:
    /// `budi@gmial.com` gives `budi@gmail.com`; a known or plausible domain gives `nil`.
    public var suggestedCorrection: EmailAddress? {
        EmailTypoSuggester.standard.suggestion(for: self)
    }
}
