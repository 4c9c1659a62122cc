extension Account {
    /// Whether this account may manage `target`: set its e-mail address and password, create it,
    /// and start or restart its e-mail verification.
    ///
    /// The rules (a pure function of the two accounts):
    /// 1. Every account may manage itself: a PTK corrects their own address in the verification
    ///    (domain.md, PTK step 3), an operator verifies their own e-mail first.
    /// 2. Nobody manages an account of another school.
    /// 3. An **operator** manages the **PTK** and the **principal** of their own school, and only
    ///    once the operator's own current e-mail is verified (since the 2021 release an operator
    ///    must prove their own mailbox before managing others). The principal is included because
    ///    in Dapodik the operator enters every staff account, the principal's too; the principal
    ///    still proves their own mailbox, as only the code's recipient can. An operator does not
    ///    manage another operator, so one operator cannot lock another out.
    /// 4. A **principal** manages only themself. The principal's extra right in Dapodik is the
    ///    sync, not account administration; keeping one administering role (the operator) keeps
    ///    one place to audit. A principal may still *read* the school's verification report; that
    ///    is not management.
    /// 5. A **PTK** manages only themself.
    ///
    /// - Parameter target: The account to be managed.
    /// - Returns: ``ManagementDecision/allowed``, or ``ManagementDecision/denied(_:)`` with the
    ///   first rule that refuses, checked in the order: other school, role, own e-mail.
    package func mayManage(_ target: Account) -> ManagementDecision {
        if target.id == id { return .allowed }
        guard target.schoolNPSN == schoolNPSN else {
            return .denied(
                ManagementDenial(
                    // The other school is not named: its NPSN is not the caller's to learn.
                    .otherSchool, indonesian: "Akun ini bukan akun sekolah Anda.",
                    english: "This account is not one of your school's."))
        }
        switch role {
        case .principal:
            return .denied(
                ManagementDenial(
                    .roleManagesOnlyItself, indonesian: "Kepala Sekolah hanya dapat mengelola akunnya sendiri.",
                    english: "A principal can manage only their own account."))
        case .ptk:
            return .denied(
                ManagementDenial(
                    .roleManagesOnlyItself, indonesian: "PTK hanya dapat mengelola akunnya sendiri.",
                    english: "A member of staff (PTK) can manage only their own account."))
        case .operator:
            guard target.role != .operator else {
                return .denied(
                    ManagementDenial(
                        .targetRoleNotManageable,
                        indonesian: "Operator sekolah tidak dapat mengelola akun operator lain.",
                        english: "A school operator cannot manage another operator's account."))
            }
            guard isEmailVerified else {
                return .denied(
                    ManagementDenial(
                        .actorEmailNotVerified,
                        indonesian: "Verifikasi email Anda sendiri terlebih dahulu sebelum mengelola akun PTK.",
                        english: "Verify your own e-mail address first before managing staff accounts."))
            }
            return .allowed
        }
    }
}
