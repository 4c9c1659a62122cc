public import DapodikLanguage

/// What an account does at its school.
///
/// A closed set (the roles Dapodik's school and staff portals know), so a plain enum. District
/// office administrators are not accounts of this library.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// The school operator (*Operator Sekolah*, OPS): verifies their own e-mail, then manages the
    /// accounts of the school's staff.
    case `operator`
    /// The principal (*Kepala Sekolah*): a member of staff who, since 2021, alone may run the
    /// school's sync.
    case principal
    /// A teacher or other member of education staff (*pendidik dan tenaga kependidikan*).
    case ptk

    /// The role's name as Dapodik shows it to people.
    public var displayName: LocalizedText {
        switch self {
        case .operator: LocalizedText(indonesian: "Operator Sekolah", english: "School operator")
        case .principal: LocalizedText(indonesian: "Kepala Sekolah", english: "Principal")
        case .ptk: LocalizedText(indonesian: "PTK", english: "Teacher or education staff (PTK)")
        }
    }
}
