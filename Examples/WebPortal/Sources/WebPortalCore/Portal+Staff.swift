import DapodikVerification
import Foundation
import HTTPTypes
import Hummingbird

// The operator's screens: Akun (the PTK list with each one's state and the school report),
// "Tambah akun" and the pencil icon (edit a PTK's address and password).
extension Portal {
    func addStaffRoutes(to router: Router<BasicRequestContext>) {
        router.get("/sekolah/akun") { request, _ in
            let visit = await visit(request)
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            do throws(VerificationError) {
                return staffListPage(visit, try await service.schoolReport(by: login.account))
            } catch  where error.code == .authorization && login.role != .ptk {
                return mustVerifyFirstPage(visit)
            } catch {
                return failurePage(visit, error)
            }
        }
        router.get("/sekolah/akun/baru") { request, _ in
            let visit = await visit(request)
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            // Only who may manage the school's staff gets the form: the library decides, and
            // asking for the list is asking it.
            if let refusal = await staffManagementRefusal(visit, login) { return refusal }
            return staffFormPage(visit, editing: nil, values: [:], error: nil)
        }
        router.post("/sekolah/akun/baru") { request, context in
            let submission = try await post(request, context: context)
            guard let posted = submission.posted else { return csrfRefusal(submission.visit) }
            let (visit, form) = (posted.visit, posted.form)
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            // Refused before any field is read: a PTK's form with a bad name would otherwise get the
            // form back with its error, as if it were theirs to fill in.
            if let refusal = await staffManagementRefusal(visit, login) { return refusal }
            let (emailText, confirming) = TypoChoice.resolve(form)
            let values = [
                "nama": form.trimmed("nama"), "pengguna": form.trimmed("pengguna"), "email": emailText,
                "nuptk": form.trimmed("nuptk"),
            ]
            do {
                let nuptk = form.trimmed("nuptk")
                let registration = AccountRegistration(
                    displayName: try DisplayName(values["nama"] ?? ""),
                    username: try Username(values["pengguna"] ?? ""),
                    email: try EmailAddress(emailText), password: form["sandi"],
                    nuptk: nuptk.isEmpty ? nil : try NUPTK(nuptk), confirmingUnusualDomain: confirming)
                let account = try await service.registerStaff(registration, by: login.account)
                sessions.setFlash(
                    LocalizedText(
                        indonesian:
                            "Akun \(account.displayName.value) ditambahkan. PTK dapat masuk dan memverifikasi email.",
                        english: "Account \(account.displayName.value) added. The staff member can log in and verify."),
                    for: visit.session.id)
                return redirect(visit, to: "/sekolah/akun")
            } catch let error as VerificationError where error.code == .authorization {
                return await staffManagementRefusal(visit, login) ?? failurePage(visit, error)
            } catch {
                return staffFormFailure(visit, editing: nil, values: values, error: error)
            }
        }
        router.get("/sekolah/akun/{id}") { request, context in
            let visit = await visit(request)
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            do throws(VerificationError) {
                // Only the operator's own school's staff are listed: another school's id is not found.
                let staff = try await service.listStaff(by: login.account)
                // Read as the form's action reads it (a UUID in either letter case), so both agree.
                let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)).map(AccountID.init)
                guard let account = staff.first(where: { $0.id == id }) else {
                    return notFoundPage(visit)
                }
                return staffFormPage(
                    visit, editing: account, values: ["email": account.email?.value ?? ""], error: nil)
            } catch {
                return staffRefusal(visit, login, error)
            }
        }
        router.post("/sekolah/akun/{id}/buka-kunci") { request, context in
            let submission = try await post(request, context: context)
            guard let posted = submission.posted else { return csrfRefusal(submission.visit) }
            let visit = posted.visit
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            // Who may not manage the school's staff is refused before the address is read.
            let staff: [Account]
            do throws(VerificationError) {
                staff = try await service.listStaff(by: login.account)
            } catch {
                return staffRefusal(visit, login, error)
            }
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)).map(AccountID.init) else {
                return notFoundPage(visit)
            }
            do throws(VerificationError) {
                // The library refuses another school's account and the operator's own.
                try await service.unlockAccount(id, by: login.account)
                let name = staff.first { $0.id == id }?.displayName.value ?? ""
                sessions.setFlash(
                    LocalizedText(
                        indonesian:
                            "Kunci akun \(name) dibuka: percobaan masuk yang gagal dan kode salah berturut-turut "
                            + "dihapus. Batas kode salah per hari tetap berlaku.",
                        english: "Account \(name) is unlocked: its failed logins and wrong codes in a row are cleared. "
                            + "The daily bound on wrong codes still holds."),
                    for: visit.session.id)
                return redirect(visit, to: "/sekolah/akun")
            } catch  where error.code == .authorization || error.code == .notFound {
                return await staffManagementRefusal(visit, login) ?? notFoundPage(visit)
            } catch {
                return failurePage(visit, error)
            }
        }
        router.post("/sekolah/akun/{id}") { request, context in
            let submission = try await post(request, context: context)
            guard let posted = submission.posted else { return csrfRefusal(submission.visit) }
            let (visit, form) = (posted.visit, posted.form)
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            // Who may not manage the school's staff is refused before any field is read: a PTK's post
            // with a malformed address would otherwise be told "no such account in your school".
            let staff: [Account]
            do throws(VerificationError) {
                staff = try await service.listStaff(by: login.account)
            } catch {
                return staffRefusal(visit, login, error)
            }
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)).map(AccountID.init) else {
                return notFoundPage(visit)
            }
            let (emailText, confirming) = TypoChoice.resolve(form)
            do {
                let password = form["sandi"]
                let email = try EmailAddress(emailText)
                let before = staff.first { $0.id == id }
                // The library refuses an account of another school; the portal only passes the caller.
                let account = try await service.updateStaff(
                    id, email: email, password: password.isEmpty ? nil : password,
                    confirmingUnusualDomain: confirming, by: login.account)
                let changed = !password.isEmpty || before?.email?.value != account.email?.value
                sessions.setFlash(
                    changed
                        ? LocalizedText(
                            indonesian: "Akun \(account.displayName.value) diperbarui.",
                            english: "Account \(account.displayName.value) updated.")
                        : LocalizedText(
                            indonesian:
                                "Akun \(account.displayName.value) tidak berubah: alamatnya sama dan kata sandi "
                                + "tidak diisi.",
                            english:
                                "Account \(account.displayName.value) is unchanged: the address is the same and no "
                                + "password was given."),
                    for: visit.session.id)
                return redirect(visit, to: "/sekolah/akun")
            } catch let error as VerificationError where error.code == .authorization || error.code == .notFound {
                // Another school's account is "not found", as on the form's page: whether an id
                // exists elsewhere is not told.
                return await staffManagementRefusal(visit, login) ?? notFoundPage(visit)
            } catch {
                // The account as listed above: a refused change changed nothing.
                guard let account = staff.first(where: { $0.id == id }) else {
                    return notFoundPage(visit)
                }
                return staffFormFailure(visit, editing: account, values: ["email": emailText], error: error)
            }
        }
    }

    /// The page refusing the staff screens to a login that may not manage the school's staff (a PTK,
    /// or an operator whose own address is not verified yet), or `nil` when it may.
    func staffManagementRefusal(_ visit: Visit, _ login: Session) async -> Response? {
        do throws(VerificationError) {
            _ = try await service.listStaff(by: login.account)
            return nil
        } catch {
            return staffRefusal(visit, login, error)
        }
    }

    /// The page refusing the staff screens after the library refused to list the school's staff:
    /// an operator who must verify their own address first is told so, anyone else why not.
    func staffRefusal(_ visit: Visit, _ login: Session, _ error: VerificationError) -> Response {
        if error.code == .authorization && login.role != .ptk { return mustVerifyFirstPage(visit) }
        return failurePage(visit, error)
    }

    /// The page for an account that is not (or not visibly: another school's) there. The portal
    /// makes no `VerificationError` of its own: those are the library's to create.
    func notFoundPage(_ visit: Visit) -> Response {
        page(
            visit, title: visit.text("Tidak ditemukan", "Not found"), status: .notFound,
            body: """
                <p class="error" role="alert">\(visit.text(
                    "Akun tidak ditemukan di sekolah Anda.", "No such account in your school."))</p>
                <p><a href="/sekolah/akun">\(visit.text("Kembali ke Akun PTK", "Back to the staff accounts"))</a></p>
                """)
    }

    /// The form again, with what went wrong (and the typo choice, if the library suggested one).
    func staffFormFailure(_ visit: Visit, editing: Account?, values: [String: String], error: any Error) -> Response {
        let failure = error as? VerificationError
        if let failure { logStoreTrouble(failure) }
        let message =
            failure.map { visit.text(visitorMessage($0)) }
            ?? (error as? any LocalizedFailure).map { visit.text($0.message) } ?? visit.text("Gagal.", "Failed.")
        return staffFormPage(
            visit, editing: editing, values: values, error: message, suggestion: failure?.suggestion,
            status: failure.map { visitorStatus($0, otherwise: .unprocessableContent) } ?? .unprocessableContent)
    }

    /// The operator must verify their own address before managing others (the seed's step 2).
    func mustVerifyFirstPage(_ visit: Visit) -> Response {
        page(
            visit, title: visit.text("Akun PTK", "Staff accounts"), status: .forbidden,
            body: """
                <p class="error" role="alert">\(visit.text(
                    "Verifikasi email Anda sendiri dulu; setelah itu Anda dapat mengelola akun PTK.",
                    "Verify your own e-mail address first; then you can manage the staff accounts."))</p>
                <p><a class="button" href="/akun">BIODATA → Akun</a></p>
                """)
    }

    /// Akun: every PTK with their state, and the school's totals.
    func staffListPage(_ visit: Visit, _ report: SchoolReport) -> Response {
        var pending = 0
        var never = 0
        let rows = report.entries.map { entry -> HTML in
            let badge: HTML
            var detail = ""
            switch entry.standing {
            case .verified:
                badge = "<span class=\"badge verified\">\(visit.text("terverifikasi", "verified"))</span>"
            case .pending(let status):
                pending += 1
                // Waiting, unless the newest code can no longer be used: then the badge says why.
                let label =
                    switch status.state {
                    case .attemptsExhausted: visit.text("terlalu banyak kode salah", "too many wrong codes")
                    case .expired: visit.text("kode kedaluwarsa", "code expired")
                    default: visit.text("menunggu kode", "waiting for the code")
                    }
                badge = "<span class=\"badge pending\">\(label)</span>"
                detail = visit.text(status.explanation)
            case .neverStarted:
                never += 1
                badge = "<span class=\"badge never\">\(visit.text("belum mulai", "not started"))</span>"
            case .undeliverable(let status):
                badge = "<span class=\"badge undeliverable\">\(visit.text("tidak terkirim", "not delivered"))</span>"
                detail = visit.text(status.explanation)
            }
            let name = visit.text("Nama", "Name")
            let email = visit.text("Email", "E-mail")
            return """
                <tr><td data-label="\(name)">\(entry.displayName.value)</td>\
                <td data-label="\(visit.text("Nama pengguna", "Username"))">\(entry.username.description)</td>\
                <td data-label="\(email)">\(entry.maskedAddress ?? "–")</td>\
                <td data-label="Status">\(badge)\(detail.isEmpty ? HTML("") : "<br><span class=\"hint\">\(detail)</span>")</td>\
                <td data-label="\(visit.text("Aksi", "Action"))"><a href="/sekolah/akun/\(entry.account.description)" \
                aria-label="\(visit.text("Ubah akun ", "Edit account of ") + entry.displayName.value)">✎ \(
                    visit.text("Ubah", "Edit"))</a></td></tr>
                """
        }
        let table: HTML =
            report.entries.isEmpty
            ? "<p>\(visit.text("Belum ada akun PTK.", "No staff accounts yet."))</p>"
            : """
            <table>
            <caption>\(visit.text("Daftar Akun · Jenis Akun = PTK", "Account list · Account type = staff"))</caption>
            <thead><tr><th scope="col">\(visit.text("Nama", "Name"))</th>\
            <th scope="col">\(visit.text("Nama pengguna", "Username"))</th><th scope="col">Email</th>\
            <th scope="col">Status</th><th scope="col">\(visit.text("Aksi", "Action"))</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            """
        return page(
            visit, title: visit.text("Akun PTK", "Staff accounts"),
            body: """
                <p>\(report.schoolName) · NPSN \(report.npsn.description)</p>
                <h2>\(visit.text("Laporan sekolah", "School report"))</h2>
                <dl id="laporan">
                <dt>\(visit.text("Jumlah PTK", "Staff"))</dt><dd>\(report.entries.count)</dd>
                <dt>\(visit.text("Terverifikasi", "Verified"))</dt><dd>\(report.verifiedCount)</dd>
                <dt>\(visit.text("Menunggu kode", "Waiting for the code"))</dt><dd>\(pending)</dd>
                <dt>\(visit.text("Belum mulai", "Not started"))</dt><dd>\(never)</dd>
                <dt>\(visit.text("Tidak terkirim", "Not delivered"))</dt><dd>\(report.undeliverableCount)</dd>
                </dl>
                <p><a class="button" href="/sekolah/akun/baru">\(visit.text("Tambah akun", "Add account"))</a></p>
                \(table)
                """)
    }

    /// "Tambah akun" (no account) or the pencil icon (an account): name, username, e-mail, password.
    func staffFormPage(
        _ visit: Visit, editing: Account?, values: [String: String], error: String?, suggestion: EmailAddress? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let errorHTML: HTML = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
        let choice: HTML =
            suggestion.map { TypoChoice.fieldset(visit, typed: values["email"] ?? "", suggestion: $0) } ?? ""
        let action = editing.map { "/sekolah/akun/\($0.id.description)" } ?? "/sekolah/akun/baru"
        let identity: HTML
        if let editing {
            identity = """
                <dl><dt>\(visit.text("Nama", "Name"))</dt><dd>\(editing.displayName.value)</dd>\
                <dt>\(visit.text("Nama pengguna", "Username"))</dt><dd>\(editing.username.description)</dd></dl>
                """
        } else {
            identity = """
                <label for="nama">\(visit.text("Nama lengkap", "Full name"))</label>
                <input type="text" id="nama" name="nama" value="\(values["nama"] ?? "")" required autocomplete="off">
                <label for="pengguna">\(visit.text("Nama pengguna", "Username"))</label>
                <input type="text" id="pengguna" name="pengguna" value="\(values["pengguna"] ?? "")" required \
                autocomplete="off" autocapitalize="none" spellcheck="false">
                <label for="nuptk">\(visit.text("NUPTK (jika ada, 16 angka)", "NUPTK (if any, 16 digits)"))</label>
                <input type="text" id="nuptk" name="nuptk" value="\(values["nuptk"] ?? "")" inputmode="numeric" \
                autocomplete="off">
                """
        }
        let passwordLabel: String =
            editing == nil
            ? visit.text("Kata sandi (lama dari Dapodik, atau baru)", "Password (the old Dapodik one, or a new one)")
            : visit.text("Kata sandi baru (kosongkan jika tidak diubah)", "New password (leave empty to keep it)")
        let requiredPassword: HTML = editing == nil ? " required" : ""
        return page(
            visit,
            title: editing == nil
                ? visit.text("Tambah akun PTK", "Add a staff account")
                : visit.text("Ubah akun PTK", "Edit a staff account"),
            status: status,
            body: """
                \(errorHTML)
                <form method="post" action="\(action)">
                \(csrfField(visit))
                \(identity)
                <label for="email">\(visit.text("Email aktif PTK (miliknya sendiri)", "The person's own active e-mail"))</label>
                <input type="email" id="email" name="email" value="\(values["email"] ?? "")" required \
                autocomplete="off" autocapitalize="none" spellcheck="false">
                <label for="sandi">\(passwordLabel)</label>
                <input type="password" id="sandi" name="sandi"\(requiredPassword) autocomplete="new-password">
                \(choice)
                <button type="submit">SIMPAN</button>
                <a class="button secondary" href="/sekolah/akun">\(visit.text("Batal", "Cancel"))</a>
                </form>
                \(editing.map { unlockForm(visit, $0) } ?? "")
                """)
    }

    /// The form that unlocks an account (``VerificationService/unlockAccount(_:by:)``), the
    /// operator's answer to a PTK told to ask the school operator to unlock it.
    func unlockForm(_ visit: Visit, _ account: Account) -> HTML {
        """
        <form method="post" action="/sekolah/akun/\(account.id.description)/buka-kunci">
        \(csrfField(visit))
        <p>\(visit.text(
            "Bila PTK ini tidak dapat masuk karena terlalu banyak kata sandi atau kode yang salah:",
            "If this person cannot log in after too many wrong passwords or codes:"))</p>
        <button type="submit" class="secondary">\(visit.text("Buka kunci akun", "Unlock the account"))</button>
        </form>
        """
    }
}
