import DapodikAccounts
import DapodikLanguage

/// Who reads a delivery status. The sentences that tell someone what to do are addressed to that
/// reader: the person waiting for the code may ask for a new one, the school's operator may not (only
/// the account's holder asks for its codes), so the operator is told what the holder can do.
enum StatusAudience: Sendable, Hashable {
    /// The person whose address is being verified: "Anda dapat meminta kode baru sekarang".
    case accountHolder
    /// The school's operator reading their own status: told as any holder, except where a PTK
    /// would be sent to the school's operator, which they are.
    case schoolOperatorItself
    /// The school's operator or principal reading a PTK's status (the school report, or the status
    /// of another account): "Pemilik akun dapat meminta kode baru sekarang".
    case schoolStaff

    /// The audience of `role`'s own status.
    static func holder(_ role: Role) -> StatusAudience {
        role == .operator ? .schoolOperatorItself : .accountHolder
    }

    /// `holder` for the account's holder (the operator too), `staff` for the school's staff.
    func pick(_ holder: @autoclosure () -> LocalizedText, _ staff: @autoclosure () -> LocalizedText)
        -> LocalizedText
    {
        switch self {
        case .accountHolder, .schoolOperatorItself: holder()
        case .schoolStaff: staff()
        }
    }

    /// As ``pick(_:_:)``, with `operatorItself` for the operator's own status, where `holder` would
    /// send them to the school's operator.
    func pick(
        holder: @autoclosure () -> LocalizedText, operatorItself: @autoclosure () -> LocalizedText,
        staff: @autoclosure () -> LocalizedText
    ) -> LocalizedText {
        switch self {
        case .accountHolder: holder()
        case .schoolOperatorItself: operatorItself()
        case .schoolStaff: staff()
        }
    }
}
