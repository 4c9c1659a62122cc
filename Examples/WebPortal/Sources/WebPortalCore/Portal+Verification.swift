import DapodikVerification
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

// BIODATA → Akun, VERIFIKASI SEKARANG, checking or correcting the address, LANJUT, the code page
// with its live status, SIMPAN: the same for the operator's own account and for a PTK.
extension Portal {
    func addVerificationRoutes(to router: Router<BasicRequestContext>) {
        router.get("/akun") { request, _ in
            let visit = await visit(request)
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            do throws(VerificationError) {
                return accountPage(visit, try await service.accountOverview(by: login.account))
            } catch {
                return failurePage(visit, error)
            }
        }
        router.get("/verifikasi") { request, _ in
            let visit = await visit(request)
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            do throws(VerificationError) {
                let overview = try await service.startVerification(by: login.account)
                return checkAddressPage(visit, overview, typed: nil, error: nil)
            } catch  where error.code == .alreadyVerified {
                return redirect(visit, to: "/akun")
            } catch {
                return failurePage(visit, error)
            }
        }
        router.post("/verifikasi/ubah-email") { request, context in
            let submission = try await post(request, context: context)
            guard let posted = submission.posted else { return csrfRefusal(submission.visit) }
            let visit = posted.visit
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            let (typed, confirming) = TypoChoice.resolve(posted.form)
            do {
                let address = try EmailAddress(typed)
                let overview = try await service.correctEmail(
                    to: address, password: posted.form["sandi"], confirmingUnusualDomain: confirming,
                    by: login.account)
                var saved = LocalizedText(
                    indonesian: "Email Aktif disimpan. Periksa lagi, lalu klik LANJUT.",
                    english: "The active e-mail is saved. Check it again, then click LANJUT (continue).")
                if !overview.status.mayRequestNewCode, let allowed = overview.status.newCodeAllowedAt {
                    // The account's last code went out moments ago, or its daily budget is spent.
                    let zone = overview.status.timeZone
                    saved = LocalizedText(
                        indonesian: "Email Aktif disimpan. Periksa lagi; LANJUT dapat diklik mulai "
                            + "\(zone.formattedDateTime(notBefore: allowed, language: .indonesian)).",
                        english: "The active e-mail is saved. Check it again; LANJUT (continue) can be clicked from "
                            + "\(zone.formattedDateTime(notBefore: allowed, language: .english)).")
                }
                sessions.setFlash(saved, for: visit.session.id)
                return redirect(visit, to: "/verifikasi")
            } catch {
                let failure = error as? VerificationError
                if let failure { logStoreTrouble(failure) }
                var message =
                    failure.map { visit.text(visitorMessage($0)) }
                    ?? (error as? any LocalizedFailure).map { visit.text($0.message) } ?? "\(error)"
                if let retryAt = failure?.retryAt {
                    // A throttled password check says until when, as the login page does.
                    message +=
                        " " + visit.text("Coba lagi mulai ", "Try again from ")
                        + login.timeZone.formattedDateTime(notBefore: retryAt, language: visit.language) + "."
                }
                let overview = try? await service.accountOverview(by: login.account)
                guard let overview else { return redirect(visit, to: "/masuk") }
                return checkAddressPage(
                    visit, overview, typed: typed, error: message, suggestion: failure?.suggestion,
                    status: failure.map { visitorStatus($0, otherwise: .unprocessableContent) } ?? .unprocessableContent
                )
            }
        }
        router.post("/verifikasi/lanjut") { request, context in
            let submission = try await post(request, context: context)
            guard let posted = submission.posted else { return csrfRefusal(submission.visit) }
            let visit = posted.visit
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            do throws(VerificationError) {
                _ = try await service.requestCode(for: login.account, by: login.account, language: visit.language)
            } catch  where error.code == .alreadyVerified {
                return redirect(visit, to: "/verifikasi/kode")
            } catch {
                logStoreTrouble(error)
                var message = visitorMessage(error)
                if let retryAt = error.retryAt {
                    let at = LocalizedText(
                        indonesian: login.timeZone.formattedDateTime(notBefore: retryAt, language: .indonesian),
                        english: login.timeZone.formattedDateTime(notBefore: retryAt, language: .english))
                    message = LocalizedText(
                        indonesian: message.indonesian + " Kode baru boleh diminta mulai " + at.indonesian + ".",
                        english: message.english + " A new code may be asked for from " + at.english + ".")
                }
                sessions.setFlash(message, for: visit.session.id)
            }
            return redirect(visit, to: "/verifikasi/kode")
        }
        router.get("/verifikasi/kode") { request, _ in
            let visit = await visit(request)
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            do throws(VerificationError) {
                let status = try await service.deliveryStatus(for: login.account, by: login.account)
                return codePage(visit, status, result: nil)
            } catch {
                return failurePage(visit, error)
            }
        }
        router.post("/verifikasi/simpan") { request, context in
            let submission = try await post(request, context: context)
            guard let posted = submission.posted else { return csrfRefusal(submission.visit) }
            let visit = posted.visit
            guard let login = visit.login else { return redirect(visit, to: "/masuk") }
            let message: String
            do throws(VerificationError) {
                let result = try await service.submitCode(
                    posted.form.trimmed("kode"), for: login.account, by: login.account)
                switch result.outcome {
                case .verified, .alreadyVerified:
                    sessions.setFlash(result.message, for: visit.session.id)
                    return redirect(visit, to: "/verifikasi/kode")
                default:
                    message = visit.text(result.message)
                }
            } catch {
                logStoreTrouble(error)
                message = visit.text(visitorMessage(error))
            }
            do throws(VerificationError) {
                let status = try await service.deliveryStatus(for: login.account, by: login.account)
                return codePage(visit, status, result: message, status: .unprocessableContent)
            } catch {
                return failurePage(visit, error)
            }
        }
        router.get("/verifikasi/status.json") { request, _ in
            let visit = await visit(request)
            guard let login = visit.login else {
                // With the cookie of the visitor's session that replaced an ended one, which says why:
                // the script then opens the login page, and the reason shows there.
                return statusRefusal(
                    visit, .unauthorized,
                    visit.text("Sesi Anda berakhir; masuk lagi.", "Your session has ended; log in again."))
            }
            do {
                let status = try await service.deliveryStatus(for: login.account, by: login.account)
                let body = try JSONEncoder().encode(
                    StatusPresentation(status, visit: visit, mailTrouble: configuration.mailWatch?.trouble))
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: body)))
            } catch {
                let failure = error as? VerificationError
                if let failure { logStoreTrouble(failure) }
                return statusRefusal(
                    visit, failure.map { visitorStatus($0, otherwise: .forbidden) } ?? .forbidden,
                    failure.map { visit.text(visitorMessage($0)) }
                        ?? visit.text("Status tidak dapat dibaca.", "The status cannot be read."))
            }
        }
    }

    /// BIODATA → Akun: the account, its status, when it last changed, and VERIFIKASI SEKARANG.
    func accountPage(_ visit: Visit, _ overview: AccountOverview) -> Response {
        let zone = visit.login?.timeZone ?? .wib
        let state: HTML =
            overview.isVerified
            ? "<span class=\"badge verified\">\(visit.text("Terverifikasi", "Verified"))</span>"
            : "<span class=\"badge pending\">\(visit.text("belum verifikasi", "not verified"))</span>"
        var actions: HTML = ""
        if !overview.isVerified {
            let waiting: Bool
            if case .notStarted = overview.status.state { waiting = false } else { waiting = true }
            actions = """
                <p><a class="button" href="/verifikasi">VERIFIKASI SEKARANG</a>\(waiting
                ? "<a class=\"button secondary\" href=\"/verifikasi/kode\">\(visit.text("Status kode", "Code status"))</a>"
                : HTML(""))</p>
                """
        } else if overview.role != .ptk {
            actions =
                "<p><a class=\"button\" href=\"/sekolah/akun\">\(visit.text("Kelola akun PTK", "Manage staff accounts"))</a></p>"
        }
        return page(
            visit, title: "BIODATA → Akun",
            body: """
                <dl>
                <dt>\(visit.text("Nama", "Name"))</dt><dd>\(overview.displayName.value)</dd>
                <dt>\(visit.text("Peran", "Role"))</dt><dd>\(visit.text(overview.role.displayName))</dd>
                <dt>\(visit.text("Sekolah", "School"))</dt><dd>\(overview.schoolName) (NPSN \(overview.npsn.description))</dd>
                <dt>\(visit.text("Nama pengguna", "Username"))</dt><dd>\(overview.username.description)</dd>
                <dt>Email Aktif</dt><dd>\(overview.email?.value ?? "–")</dd>
                <dt>Status</dt><dd id="status-akun">\(state)</dd>
                <dt>\(visit.text("Terakhir diperbarui", "Last updated"))</dt>\
                <dd>\(zone.formattedDateTime(overview.updatedAt, language: visit.language))</dd>
                </dl>
                \(actions)
                """)
    }

    /// VERIFIKASI SEKARANG: the *Email Aktif* to check before LANJUT, and the form to correct it.
    func checkAddressPage(
        _ visit: Visit, _ overview: AccountOverview, typed: String?, error: String?, suggestion: EmailAddress? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let errorHTML: HTML = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
        let choice: HTML = suggestion.map { TypoChoice.fieldset(visit, typed: typed ?? "", suggestion: $0) } ?? ""
        return page(
            visit, title: "VERIFIKASI SEKARANG", status: status,
            body: """
                <p>\(visit.text(
                    "Sebelum klik LANJUT, lihat Email Aktif: apakah sama dengan email yang didaftarkan operator? "
                        + "Kode verifikasi dikirim ke alamat ini.",
                    "Before clicking LANJUT (continue), check the active e-mail: is it the address the operator "
                        + "entered? The verification code goes to this address."))</p>
                <dl><dt>Email Aktif</dt><dd id="email-aktif">\(overview.email?.value ?? "–")</dd></dl>
                <form method="post" action="/verifikasi/lanjut">
                \(csrfField(visit))
                <button type="submit">LANJUT</button>
                </form>
                <h2>\(visit.text("Email tidak sama? Ubah dulu", "Not the same address? Correct it first"))</h2>
                \(errorHTML)
                <form method="post" action="/verifikasi/ubah-email">
                \(csrfField(visit))
                <label for="email">\(visit.text("Email Aktif yang benar", "The right active e-mail"))</label>
                <input type="email" id="email" name="email" value="\(typed ?? overview.email?.value ?? "")" required \
                autocomplete="email" autocapitalize="none" spellcheck="false">
                <label for="sandi">\(visit.text("Kata sandi Anda (sebagai konfirmasi)", "Your password (to confirm)"))</label>
                <input type="password" id="sandi" name="sandi" required autocomplete="current-password">
                \(choice)
                <button type="submit" class="secondary">\(visit.text("SIMPAN EMAIL", "SAVE E-MAIL"))</button>
                </form>
                """)
    }

    /// The code page: the live delivery status, the *Kode Verifikasi* field and SIMPAN, and the
    /// way to a new code; or, once verified, "Terverifikasi".
    func codePage(
        _ visit: Visit, _ status: DeliveryStatus, result: String?, status httpStatus: HTTPResponse.Status = .ok
    ) -> Response {
        let presentation = StatusPresentation(status, visit: visit, mailTrouble: configuration.mailWatch?.trouble)
        if presentation.isVerified {
            return page(
                visit, title: visit.text("Email terverifikasi", "E-mail verified"),
                body: """
                    <p class="notice"><span class="badge verified">\(visit.text("Terverifikasi", "Verified"))</span> \
                    \(presentation.fields["stateLabel"] ?? "")</p>
                    <p>\(visit.text(
                        "Status ini tampil di aplikasi Dapodik setelah sinkronisasi berikutnya.",
                        "The Dapodik application shows it after the next sync."))</p>
                    <p><a class="button" href="/akun">BIODATA → Akun</a></p>
                    """)
        }
        let resultHTML: HTML = result.map { "<p class=\"error\" role=\"alert\" id=\"hasil\">\($0)</p>" } ?? ""
        let disabled: HTML = presentation.mayRequestNewCode ? "" : " disabled"
        return page(
            visit, title: "Kode Verifikasi", status: httpStatus,
            body: """
                \(resultHTML)
                <form method="post" action="/verifikasi/simpan">
                \(csrfField(visit))
                <label for="kode">Kode Verifikasi</label>
                <input type="text" id="kode" name="kode" required inputmode="numeric" autocomplete="one-time-code" \
                pattern="[0-9 ]*" maxlength="12">
                <p class="hint">\(visit.text(
                    "Buka email Anda, salin angka kodenya, lalu klik SIMPAN.",
                    "Open your mailbox, copy the numeric code, then click SIMPAN (save)."))</p>
                <button type="submit">SIMPAN</button>
                </form>
                \(presentation.panel(visit))
                <form method="post" action="/verifikasi/lanjut">
                \(csrfField(visit))
                <button type="submit" id="minta-kode-baru" class="secondary"\(disabled)>\(
                    visit.text("Minta kode baru", "Ask for a new code"))</button>
                <a class="button secondary" href="/verifikasi/kode">\(visit.text("Perbarui", "Refresh"))</a>
                <a class="button secondary" href="/verifikasi">\(visit.text("Ubah email", "Change e-mail"))</a>
                </form>
                """)
    }
}

extension Portal {
    /// The status endpoint's refusal: `{"error": …}` in the visit's language, with the session
    /// cookie when the visit started a new session.
    func statusRefusal(_ visit: Visit, _ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = (try? JSONEncoder().encode(["error": message])) ?? Data()
        var response = Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        setSessionCookie(visit, on: &response)
        return response
    }
}
