/// A person's sex as Indonesia's identity numbers record it: the NIK adds 40 to a woman's birth
/// day, the NIP carries `1` for a man and `2` for a woman.
public enum Sex: String, Sendable, Hashable, Codable, CaseIterable {
    /// Male (*laki-laki*).
    case male
    /// Female (*perempuan*).
    case female
}
