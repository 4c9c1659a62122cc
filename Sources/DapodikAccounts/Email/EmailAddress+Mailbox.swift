extension EmailAddress {
    /// The mailbox this address delivers to, as far as its provider's documented rules tell: the
    /// form under which the service allows one account per mailbox.
    ///
    /// Starting from ``canonical`` (the whole address lower-cased):
    /// - a domain of ``domainAliases`` is its service's main domain (`googlemail.com` is `gmail.com`);
    /// - at `gmail.com`, dots in the local part are ignored ("Dots don't matter in Gmail
    ///   addresses", Gmail Help; this holds for personal Gmail only, not for Google Workspace
    ///   domains, where dots are part of the name);
    /// - at the providers of ``subaddressDomains``, a `+` and everything after it in the local part
    ///   is a subaddress (RFC 5233) of the same mailbox: those providers deliver `name+tag@…` to
    ///   `name@…`, and none of them allows `+` in a mailbox's own name.
    ///
    /// Everywhere else the mailbox is the canonical address: a `+` or a dot may be part of a real
    /// name there, and guessing would refuse a real second person. So `budi.santoso@gmail.com`,
    /// `BudiSantoso+ptk@googlemail.com` and `budisantoso@gmail.com` share the mailbox
    /// `budisantoso@gmail.com`, while `budi.santoso@sekolah.sch.id` and `budisantoso@sekolah.sch.id`
    /// stay two.
    public var mailbox: String {
        let canonical = self.canonical
        guard let at = canonical.utf8.lastIndex(of: UInt8(ascii: "@")) else { return canonical }
        var local = Substring(canonical[..<at])
        var domain = String(canonical[canonical.index(after: at)...])
        if let alias = Self.domainAliases[domain] { domain = alias }
        let subaddressed = Self.subaddressDomains.contains(domain)
        if subaddressed, let plus = local.firstIndex(of: "+"), plus != local.startIndex {
            local = local[..<plus]
        }
        guard domain == "gmail.com" else { return local + "@" + domain }
        let withoutDots = local.filter { $0 != "." }
        return (withoutDots.isEmpty ? String(local) : withoutDots) + "@" + domain
    }

    /// The version of the rules ``mailbox`` follows (``domainAliases``, ``subaddressDomains``, Gmail's
    /// dots): one more whenever they change, so that a store whose mailboxes were reserved under
    /// earlier rules has them reserved again.
    public static let mailboxRulesVersion = 1

    /// Domains that are other names of one mail service with one set of names, each mapped to its
    /// main name: Gmail's `googlemail.com`; Proton Mail's `proton.me`, `pm.me` and `protonmail.ch`
    /// (a Proton username has an address at each); iCloud Mail's `me.com` and `mac.com` (older
    /// addresses of the same iCloud name).
    public static let domainAliases: [String: String] = [
        "googlemail.com": "gmail.com",
        "proton.me": "protonmail.com", "pm.me": "protonmail.com", "protonmail.ch": "protonmail.com",
        "me.com": "icloud.com", "mac.com": "icloud.com",
    ]

    /// The providers that document `+` subaddressing (RFC 5233) and refuse `+` in the names of their
    /// mailboxes: Gmail, Outlook.com (and its older domains), iCloud Mail, Proton Mail, Fastmail, and
    /// `belajar.id`, the Google Workspace domain of the accounts Indonesia's ministry of education
    /// gives teachers and pupils.
    public static let subaddressDomains: Set<String> = [
        "gmail.com", "outlook.com", "outlook.co.id", "hotmail.com", "hotmail.co.uk", "live.com", "msn.com",
        "icloud.com", "protonmail.com", "fastmail.com", "belajar.id",
    ]
}
