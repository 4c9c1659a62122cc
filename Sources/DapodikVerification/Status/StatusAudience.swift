import DapodikLanguage

/// Who reads a delivery status. The sentences that tell someone what to do are addressed to that
/// reader: the person waiting for the code may ask for a new one, the school's operator may not (only
/// the account's holder asks for its codes), so the operator is told what the holder can do.
enum StatusAudience: Sendable, Hashable {
    /// The person whose address is being verified: "Anda dapat meminta kode baru sekarang".
    case accountHolder
    /// The school's operator or principal reading a PTK's status (the school report, or the status
    /// of another account): "Pemilik akun dapat meminta kode baru sekarang".
    case schoolStaff

    /// `holder` for the account's holder, `staff` for the school's staff.
    func pick(_ holder: @autoclosure () -> LocalizedText, _ staff: @autoclosure () -> LocalizedText)
        -> LocalizedText
    {
        switch self {
        case .accountHolder: holder()
        case .schoolStaff: staff()
        }
    }
}
