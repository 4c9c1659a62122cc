extension EmailAddress {
    /// The address for display where a bystander may read along: the first character of the local
    /// part, three bullets, `@`, and the domain, such as `k•••@gmail.com`.
    ///
    /// Always three bullets, whatever the local part's length, so the mask does not tell the
    /// length. The domain stays, so a person can tell which of their mailboxes to open.
    public var masked: String {
        "\(localPart.prefix(1))•••@\(domain)"
    }
}
