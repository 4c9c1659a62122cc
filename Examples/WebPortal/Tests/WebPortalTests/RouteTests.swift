import DapodikVerification
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WebPortalCore

@Suite("The portal's routes", .closesFixtureStores)
struct RouteTests {
    @Test("an operator cannot open or change another school's PTK")
    func anotherSchoolsPTKIsRefused() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("siti", PortalFixture.password)
            let own = try await browser.get("/sekolah/akun/\(fixture.ptkA.id.description)")
            #expect(own.status == .ok)
            #expect(own.body.contains("budi@guru.example"))
            let other = try await browser.get("/sekolah/akun/\(fixture.ptkB.id.description)")
            #expect(other.status == .notFound)
            #expect(!other.body.contains("joko"))
            let change = try await browser.post(
                "/sekolah/akun/\(fixture.ptkB.id.description)", ["email": "dicuri@guru.example", "sandi": ""])
            // The same answer as for an id that exists nowhere: another school's ids are not confirmed.
            #expect(change.status == .notFound)
            #expect(change.body == other.body)
            #expect(!change.body.contains("bukan akun sekolah Anda"))
            let nowhere = try await browser.post(
                "/sekolah/akun/\(UUID().uuidString)", ["email": "dicuri@guru.example", "sandi": ""])
            #expect(nowhere.status == .notFound)
            let list = try await browser.get("/sekolah/akun")
            #expect(list.body.contains("Budi"))
            #expect(!list.body.contains("Joko"))
        }
        let staffB = try await fixture.service.listStaff(by: fixture.operatorB)
        #expect(staffB.first?.email?.value == "joko@guru.example")
    }

    @Test("a PTK gets no form to add accounts, and a post of it is refused as forbidden, adding no one")
    func ptkGetsNoStaffForm() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("budi", PortalFixture.ptkPassword)
            let form = try await browser.get("/sekolah/akun/baru")
            #expect(form.status == .forbidden)
            #expect(!form.body.contains("name=\"pengguna\""))
            _ = try await browser.get("/akun")
            let posted = try await browser.post(
                "/sekolah/akun/baru",
                ["nama": "Guru Palsu", "pengguna": "palsu", "email": "palsu@guru.example", "sandi": "Palsu-Kuat-2026"])
            #expect(posted.status == .forbidden)
        }
        let staff = try await fixture.service.listStaff(by: fixture.operatorA)
        #expect(staff.map(\.username.value) == ["budi"])
    }

    @Test("a staff form posted by a PTK or an unverified operator is refused before its fields are read")
    func staffPostsRefusedBeforeFields() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.createSchoolWithUnverifiedOperator()
        let before = try await fixture.service.events(limit: 1_000).count
        // A name, username and address no account may have: the portal's own parsing refuses them.
        let badRegistration = ["nama": "A", "pengguna": "b", "email": "bukan alamat", "sandi": "x"]
        let ownID = fixture.ptkA.id.description
        try await fixture.application.test(.router) { client in
            let ptk = TestBrowser(client)
            _ = try await ptk.logIn("budi", PortalFixture.ptkPassword)
            for (route, fields) in [
                ("/sekolah/akun/baru", badRegistration),
                ("/sekolah/akun/\(ownID)", ["email": "bukan alamat", "sandi": ""]),
                ("/sekolah/akun/bukan-id", ["email": "budi@guru.example", "sandi": ""]),
                ("/sekolah/akun/bukan-id/buka-kunci", [:]),
            ] {
                let page = try await ptk.post(route, fields)
                // Forbidden, as the same post with good fields is: not the form back, not "not found".
                #expect(page.status == .forbidden, "\(route): \(page.status)")
                #expect(!page.body.contains("name=\"pengguna\""), "\(route)")
                #expect(!page.body.contains("Akun tidak ditemukan"), "\(route)")
            }
            let unverified = TestBrowser(client)
            _ = try await unverified.logIn("ayu", PortalFixture.password)
            for (route, fields) in [
                ("/sekolah/akun/baru", badRegistration),
                ("/sekolah/akun/\(ownID)", ["email": "bukan alamat", "sandi": ""]),
                ("/sekolah/akun/bukan-id/buka-kunci", [:]),
            ] {
                let page = try await unverified.post(route, fields)
                #expect(page.status == .forbidden, "\(route): \(page.status)")
                #expect(page.body.contains("Verifikasi email Anda sendiri dulu"), "\(route)")
            }
            let opened = try await unverified.get("/sekolah/akun/\(ownID)")
            #expect(opened.status == .forbidden)
            #expect(opened.body.contains("Verifikasi email Anda sendiri dulu"), "\(opened.body)")
            // The operator who may manage the staff still gets the form back with what is wrong.
            let manager = TestBrowser(client)
            _ = try await manager.logIn("siti", PortalFixture.password)
            let form = try await manager.post("/sekolah/akun/baru", badRegistration)
            #expect(form.status == .unprocessableContent)
            #expect(form.body.contains("name=\"pengguna\""))
        }
        let staff = try await fixture.service.listStaff(by: fixture.operatorA)
        #expect(staff.map(\.username.value) == ["budi"])
        #expect(staff.first?.email?.value == "budi@guru.example")
        // Nothing was recorded: no registration, change, unlock or check of an address.
        let after = try await fixture.service.events(limit: 1_000).dropFirst(before)
        #expect(after.isEmpty, "\(after.map(\.kind))")
    }

    @Test("an operator's new password for a PTK ends the PTK's sessions in the portal")
    func passwordResetEndsSessions() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let ptk = TestBrowser(client)
            _ = try await ptk.logIn("budi", PortalFixture.ptkPassword)
            #expect(try await ptk.get("/akun").status == .ok)
            let manager = TestBrowser(client)
            _ = try await manager.logIn("siti", PortalFixture.password)
            let reset = try await manager.post(
                "/sekolah/akun/\(fixture.ptkA.id.description)",
                ["email": "budi@guru.example", "sandi": "Sandi-Baru-Guru-2026"])
            #expect(reset.status == .seeOther, "\(reset.body)")
            let after = try await ptk.get("/akun")
            #expect(after.location == "/masuk", "\(after.status)")
            // The operator's own session goes on.
            #expect(try await manager.get("/sekolah/akun").status == .ok)
        }
    }

    @Test("a password changed outside the portal ends its session at the next click, saying why")
    func passwordChangedElsewhereEndsSession() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let ptk = TestBrowser(client)
            _ = try await ptk.logIn("budi", PortalFixture.ptkPassword)
            #expect(try await ptk.get("/akun").status == .ok)
            // As the command line or another server over the same store would.
            try await fixture.service.changePassword(
                from: PortalFixture.ptkPassword, to: "Sandi-Baru-Guru-2026", by: fixture.ptkA.id)
            let after = try await ptk.get("/akun")
            #expect(after.location == "/masuk", "\(after.status)")
            let login = try await ptk.get("/masuk")
            #expect(login.body.contains("Sesi Anda telah berakhir"), "\(login.body)")
            _ = try await ptk.logIn("budi", "Sandi-Baru-Guru-2026")
            #expect(try await ptk.get("/akun").status == .ok)
        }
    }

    @Test("a login form sent with the password blank asks for it (422), however often, and throttles no one")
    func blankPasswordIsAFormToFillIn() async throws {
        let fixture = try await PortalFixture.make(loginThrottle: LoginThrottlePolicy(baseDelay: .seconds(600)))
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.get("/masuk")
            for _ in 0..<6 {
                let page = try await browser.post("/masuk", ["identitas": "budi", "sandi": ""])
                #expect(page.status == .unprocessableContent)
                #expect(page.body.contains("Kata sandi wajib diisi."), "\(page.body)")
            }
            let page = try await browser.post("/masuk", ["identitas": "budi", "sandi": PortalFixture.ptkPassword])
            #expect(page.status == .seeOther, "the right password still logs in at once: \(page.status)")
        }
    }

    @Test("an operator unlocks a PTK locked after wrong passwords from the edit page; the PTK logs in at once")
    func operatorUnlocksPTK() async throws {
        let fixture = try await PortalFixture.make(loginThrottle: LoginThrottlePolicy(baseDelay: .zero))
        try await fixture.application.test(.router) { client in
            let ptk = TestBrowser(client)
            _ = try await ptk.get("/masuk")
            for _ in 0..<10 { _ = try await ptk.post("/masuk", ["identitas": "budi", "sandi": "salah-salah-salah"]) }
            let locked = try await ptk.post("/masuk", ["identitas": "budi", "sandi": PortalFixture.ptkPassword])
            #expect(locked.status == .tooManyRequests, "the temporary lock holds: \(locked.status)")
            let manager = TestBrowser(client)
            _ = try await manager.logIn("siti", PortalFixture.password)
            let form = try await manager.get("/sekolah/akun/\(fixture.ptkA.id.description)")
            #expect(form.body.contains("Buka kunci akun"), "\(form.body)")
            let unlocked = try await manager.post("/sekolah/akun/\(fixture.ptkA.id.description)/buka-kunci", [:])
            #expect(unlocked.status == .seeOther)
            #expect(try await manager.follow(unlocked).body.contains("Kunci akun Budi dibuka"))
            // Another school's PTK is "not found", and nothing is unlocked there.
            let other = try await manager.post("/sekolah/akun/\(fixture.ptkB.id.description)/buka-kunci", [:])
            #expect(other.status == .notFound)
            let again = try await ptk.post("/masuk", ["identitas": "budi", "sandi": PortalFixture.ptkPassword])
            #expect(again.status == .seeOther, "\(again.status)")
        }
        let unlocks = try await fixture.service.events(limit: 1_000).filter { $0.kind == .accountUnlocked }
        #expect(unlocks.map(\.account) == [fixture.ptkA.id])
    }

    @Test("a throttled login says when to try again in all three zones (the school is not known yet)")
    func throttledLoginNamesEveryZone() async throws {
        // The fourth failure delays the next attempt; a delay of 10 minutes, not the default 2
        // seconds, keeps the sixth attempt inside it however slowly a busy machine answers.
        let fixture = try await PortalFixture.make(loginThrottle: LoginThrottlePolicy(baseDelay: .seconds(600)))
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.get("/masuk")
            var last: TestBrowser.Page?
            for _ in 0..<6 {
                last = try await browser.post("/masuk", ["identitas": "budi", "sandi": "salah-salah-salah"])
            }
            let page = try #require(last)
            #expect(page.status == .tooManyRequests)
            for zone in [" WIB / ", " WITA / ", " WIT."] {
                #expect(page.body.contains(zone), "'\(zone)' missing")
            }
        }
    }

    @Test("a PTK who types a wrong code sees how many attempts are left, then verifies with the right one")
    func wrongCodeShowsAttemptsLeft() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            let account = try await browser.logIn("budi", PortalFixture.ptkPassword)
            #expect(account.body.contains("belum verifikasi"))
            let check = try await browser.get("/verifikasi")
            #expect(check.body.contains("budi@guru.example"))
            let codePage = try await browser.follow(try await browser.post("/verifikasi/lanjut", [:]))
            #expect(codePage.body.contains("Kode Verifikasi"))
            #expect(codePage.body.contains("b•••@guru.example"))
            let code = try #require(PortalFixture.latestCode(in: fixture.maildir, to: "budi@guru.example"))
            let wrong = code == "000000" ? "111111" : "000000"
            let refused = try await browser.post("/verifikasi/simpan", ["kode": wrong])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Kode verifikasi salah. Sisa percobaan: 4."))
            let verified = try await browser.follow(try await browser.post("/verifikasi/simpan", ["kode": code]))
            #expect(verified.body.contains("Terverifikasi"))
        }
        let report = try await fixture.service.schoolReport(by: fixture.operatorA)
        #expect(report.verifiedCount == 1)
    }

    @Test("attempts left count the account's own bound on wrong codes, not only the challenge's five")
    func attemptsLeftCountTheAccountsBound() async throws {
        // Three wrong codes a day for the account, as if twelve of its fifteen were spent on challenges
        // ended by address corrections (each new challenge has five attempts of its own).
        let fixture = try await PortalFixture.make(wrongCodeLimits: AccountCodeLimits(maximumWrongCodesPerDay: 3))
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("budi", PortalFixture.ptkPassword)
            try await browser.continueToCode()
            #expect(try await browser.get("/verifikasi/status.json").body.contains("\"attemptsLeft\":\"3\""))
            let code = try #require(PortalFixture.latestCode(in: fixture.maildir, to: "budi@guru.example"))
            let wrong = String(format: "%06d", (Int(code)! + 1) % 1_000_000)
            let first = try await browser.post("/verifikasi/simpan", ["kode": wrong])
            #expect(first.body.contains("Sisa percobaan: 2."), "\(first.body)")
            #expect(try await browser.get("/verifikasi/status.json").body.contains("\"attemptsLeft\":\"2\""))
            _ = try await browser.post("/verifikasi/simpan", ["kode": wrong])
            let last = try await browser.post("/verifikasi/simpan", ["kode": wrong])
            // The third was the account's last for today: said so then, not "attempts left: 2".
            #expect(last.body.contains("Itu percobaan terakhir"), "\(last.body)")
            #expect(!last.body.contains("Sisa percobaan: "), "\(last.body)")
            let after = try await browser.get("/verifikasi/status.json")
            #expect(after.body.contains("\"attemptsLeft\":\"0\""), "\(after.body)")
            // And the right code is refused now, as the bound says.
            let right = try await browser.post("/verifikasi/simpan", ["kode": code])
            #expect(right.status == .unprocessableContent)
        }
        let account = try #require(try await fixture.service.listStaff(by: fixture.operatorA).first)
        #expect(!account.isEmailVerified)
    }

    @Test("pages are in Indonesian by default and in English after the switch")
    func pagesInTheChosenLanguage() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            let indonesian = try await browser.get("/masuk")
            #expect(indonesian.body.contains("<html lang=\"id\">"))
            #expect(indonesian.body.contains("Kata sandi"))
            let switched = try await browser.get("/bahasa/en?ke=/masuk")
            #expect(switched.location == "/masuk")
            let english = try await browser.follow(switched)
            #expect(english.body.contains("<html lang=\"en\">"))
            #expect(english.body.contains("Password"))
            #expect(!english.body.contains("Kata sandi"))
            let account = try await browser.logIn("siti", PortalFixture.password)
            #expect(account.body.contains("Staff accounts"))
            #expect(account.body.contains("School report"))
            // The switch never sends the browser to another site.
            let away = try await browser.get("/bahasa/id?ke=//evil.example/")
            #expect(away.location == "/")
            // Browsers drop tabs and line breaks and read a backslash as a slash: each would make
            // `//evil.example` of a path that does not start with it.
            for hostile in [
                "/%09/evil.example", "/%0A/evil.example", "/%0D/evil.example", "/%5C/evil.example",
                "/%20/evil.example", "https://evil.example", "/%C2%A0/evil.example",
            ] {
                let page = try await browser.get("/bahasa/id?ke=\(hostile)")
                #expect(page.location == "/", "\(hostile) → \(page.location ?? "none")")
            }
            #expect(try await browser.get("/bahasa/en?ke=/sekolah/akun").location == "/sekolah/akun")
        }
    }

    @Test("the language switch on a page answering a form leads to a page, never to 'method not allowed'")
    func languageSwitchAfterAForm() async throws {
        let fixture = try await PortalFixture.make()
        let ownID = fixture.ptkA.id.description
        try await fixture.application.test(.router) { client in
            let ptk = TestBrowser(client)
            _ = try await ptk.logIn("budi", PortalFixture.ptkPassword)
            let manager = TestBrowser(client)
            _ = try await manager.logIn("siti", PortalFixture.password)
            // The browser, the address posted to, the fields (a wrong token for a refusal), the page to come back to.
            let answers: [(TestBrowser, String, [String: String], Bool, String)] = [
                (ptk, "/verifikasi/simpan", ["kode": "12"], false, "/verifikasi/kode"),
                (ptk, "/verifikasi/ubah-email", ["email": "bukan alamat", "sandi": "x"], false, "/verifikasi"),
                (ptk, "/verifikasi/lanjut", [:], true, "/verifikasi/kode"),
                (manager, "/sekolah/akun/\(ownID)", ["email": "bukan alamat"], false, "/sekolah/akun/\(ownID)"),
                (manager, "/sekolah/akun/\(ownID)/buka-kunci", [:], true, "/sekolah/akun/\(ownID)"),
                (manager, "/sekolah/akun/baru", ["nama": "A"], false, "/sekolah/akun/baru"),
                (manager, "/keluar", [:], true, "/masuk"),
            ]
            for (browser, route, fields, wrongToken, back) in answers {
                let answer =
                    wrongToken
                    ? try await browser.post(route, fields, csrf: .some("salah"))
                    : try await browser.post(route, fields)
                #expect(answer.status.code >= 400, "\(route): \(answer.status)")
                #expect(answer.body.contains("href=\"/bahasa/en?ke=\(back)\""), "\(route)")
                var english = try await browser.get("/bahasa/en?ke=\(back)")
                #expect(english.location == back, "\(route)")
                // The login page sends a logged-in browser on to its account.
                for _ in 0..<2 where english.location != nil { english = try await browser.follow(english) }
                #expect(english.status == .ok, "\(route) → \(back): \(english.status)")
                #expect(english.body.contains("<html lang=\"en\">"), "\(route)")
                _ = try await browser.get("/bahasa/id?ke=/")
            }
        }
    }

    @Test("a hostile name is shown as text, never as markup")
    func hostileNameIsEscaped() async throws {
        let fixture = try await PortalFixture.make()
        let hostile = "<script>alert(\"x\")</script> O'Brien & <b>"
        _ = try await fixture.service.registerStaff(
            AccountRegistration(
                displayName: try DisplayName(hostile), username: try Username("obrien"),
                email: try EmailAddress("obrien@guru.example"), password: PortalFixture.ptkPassword),
            by: fixture.operatorA)
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("siti", PortalFixture.password)
            let list = try await browser.get("/sekolah/akun")
            #expect(!list.body.contains("<script>alert"))
            #expect(!list.body.contains("<b>"))
            #expect(list.body.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &lt;b&gt;"))
            let typed = try await TestBrowser(client).logIn("\"><script>x</script>", "wrong-password")
            #expect(!typed.body.contains("<script>x"))
            #expect(typed.body.contains("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""))
        }
    }

    @Test("a mistyped domain gets a suggestion; the operator may take it or keep the address explicitly")
    func typoSuggestion() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("siti", PortalFixture.password)
            _ = try await browser.get("/sekolah/akun/baru")
            let fields = ["nama": "Dewi", "pengguna": "dewi", "email": "dewi@gmial.com", "sandi": "Guru-Baru-2026x"]
            let suggested = try await browser.post("/sekolah/akun/baru", fields)
            #expect(suggested.status == .unprocessableContent)
            #expect(suggested.body.contains("dewi@gmail.com"))
            #expect(suggested.body.contains("name=\"tetap_pakai\""))
            var keep = fields
            keep["tetap_pakai"] = "1"
            let kept = try await browser.post("/sekolah/akun/baru", keep)
            #expect(kept.status == .seeOther)
            var take = fields
            take["nama"] = "Eko"
            take["pengguna"] = "eko"
            take["email"] = "eko@gmial.com"
            take["saran"] = "eko@gmail.com"
            take["pakai_saran"] = "1"
            let taken = try await browser.post("/sekolah/akun/baru", take)
            #expect(taken.status == .seeOther)
        }
        let addresses = try await fixture.service.listStaff(by: fixture.operatorA).compactMap(\.email?.value)
        #expect(addresses.contains("dewi@gmial.com"))
        #expect(addresses.contains("eko@gmail.com"))
    }

    @Test("an operator must verify their own address before the PTK list; the status endpoint needs a login")
    func operatorVerifiesFirst() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.createSchoolWithUnverifiedOperator()
        try await fixture.application.test(.router) { client in
            let anonymous = try await client.execute(uri: "/verifikasi/status.json", method: .get)
            #expect(anonymous.status == .unauthorized)
            let browser = TestBrowser(client)
            let account = try await browser.logIn("ayu", PortalFixture.password)
            #expect(account.body.contains("VERIFIKASI SEKARANG"))
            let list = try await browser.get("/sekolah/akun")
            #expect(list.status == .forbidden)
            try await browser.continueToCode()
            let status = try await browser.get("/verifikasi/status.json")
            #expect(status.status == .ok)
            #expect(status.body.contains("\"attemptsLeft\":\"5\""))
            #expect(status.body.contains("WIT"))
        }
    }

    @Test("the time a new code may be asked from is the whole minute after the cooldown, never before it")
    func newCodeTimeRoundedUp() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("budi", PortalFixture.ptkPassword)
            try await browser.continueToCode()
            let status = try await fixture.service.deliveryStatus(for: fixture.ptkA.id, by: fixture.ptkA.id)
            let allowedAt = try #require(status.newCodeAllowedAt)
            let minute = SchoolTimeZone.wholeMinute(notBefore: allowedAt)
            #expect(minute >= allowedAt && minute.timeIntervalSince(allowedAt) < 60)
            let shown = SchoolTimeZone.wita.formattedDateTime(notBefore: allowedAt, language: .indonesian)
            let page = try await browser.get("/verifikasi/status.json")
            #expect(page.body.contains("\"newCode\":\"mulai \(shown)\""), "\(page.body)")
            // The cut-off minute (shown before) is refused still, unless the cooldown ends on the minute.
            let cutOff = SchoolTimeZone.wita.formattedDateTime(allowedAt, language: .indonesian)
            if minute != allowedAt { #expect(!page.body.contains("mulai \(cutOff)\""), "\(page.body)") }
        }
    }

    @Test("the status poll after the password changed elsewhere: 401 in words, with the cookie that says why")
    func statusPollAfterPasswordChange() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("budi", PortalFixture.ptkPassword)
            #expect(try await browser.get("/verifikasi/status.json").status == .ok)
            _ = try await fixture.service.updateStaff(
                fixture.ptkA.id, password: "Sandi-Baru-Guru-2026", by: fixture.operatorA)
            let ended = try await browser.get("/verifikasi/status.json")
            #expect(ended.status == .unauthorized)
            #expect(ended.headers[.contentType] == "application/json")
            #expect(ended.body.contains("\"error\":\"Sesi Anda berakhir; masuk lagi.\""), "\(ended.body)")
            #expect(ended.headers[.setCookie] != nil, "the visitor's session that says why")
            // The page the script opens then says why the session ended.
            let login = try await browser.get("/masuk")
            #expect(login.body.contains("Sesi Anda telah berakhir: kata sandi akun ini diganti"), "\(login.body)")
        }
    }

    @Test("the fifth wrong code says it was the last; the code shows no time left; the operator's list says why")
    func exhaustedCodeShowsNoValidity() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("budi", PortalFixture.ptkPassword)
            try await browser.continueToCode()
            let code = try #require(PortalFixture.latestCode(in: fixture.maildir, to: "budi@guru.example"))
            let wrong = code == "000000" ? "111111" : "000000"
            let live = try await browser.get("/verifikasi/status.json")
            #expect(live.body.contains("\"codeExpiresAtMillis\":"), "\(live.body)")
            var last: TestBrowser.Page?
            for _ in 0..<5 { last = try await browser.post("/verifikasi/simpan", ["kode": wrong]) }
            let fifth = try #require(last)
            #expect(!fifth.body.contains("Sisa percobaan: 0"), "\(fifth.body)")
            #expect(fifth.body.contains("Itu percobaan terakhir: kode yang sudah dikirim tidak diterima lagi."))
            let status = try await browser.get("/verifikasi/status.json")
            #expect(status.body.contains("Terlalu banyak kode salah"), "\(status.body)")
            #expect(status.body.contains("\"validUntil\":\"tidak berlaku lagi\""), "\(status.body)")
            #expect(!status.body.contains("\"codeExpiresAtMillis\":"), "\(status.body)")
            let manager = TestBrowser(client)
            _ = try await manager.logIn("siti", PortalFixture.password)
            let list = try await manager.get("/sekolah/akun")
            #expect(list.body.contains("terlalu banyak kode salah"), "\(list.body)")
        }
    }

    @Test("an operator edits their PTK's address with the pencil icon; a login starts a new session")
    func operatorEditsPTK() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.get("/masuk")
            let before = try #require(browser.cookies["portal_session"])
            _ = try await browser.logIn("siti", PortalFixture.password)
            // Session fixation: the id a browser had before logging in is not the logged-in one.
            #expect(browser.cookies["portal_session"] != before)
            let form = try await browser.get("/sekolah/akun/\(fixture.ptkA.id.description)")
            #expect(form.body.contains("Ubah akun PTK"))
            let saved = try await browser.post(
                "/sekolah/akun/\(fixture.ptkA.id.description)", ["email": "budi.baru@guru.example", "sandi": ""])
            #expect(saved.status == .seeOther)
            let list = try await browser.follow(saved)
            #expect(list.body.contains("Akun Budi diperbarui."))
            // The id in upper case opens the same form its action takes, and the same address again with
            // no password is said as no change.
            let upper = "/sekolah/akun/\(fixture.ptkA.id.description.uppercased())"
            #expect(try await browser.get(upper).body.contains("Ubah akun PTK"))
            let unchanged = try await browser.post(upper, ["email": "budi.baru@guru.example", "sandi": ""])
            #expect(try await browser.follow(unchanged).body.contains("Akun Budi tidak berubah"))
            // After logging out, the old session is gone: its pages send the browser to log in.
            _ = try await browser.post("/keluar", [:])
            let after = try await browser.get("/sekolah/akun")
            #expect(after.location == "/masuk")
        }
        let staff = try await fixture.service.listStaff(by: fixture.operatorA)
        #expect(staff.first?.email?.value == "budi.baru@guru.example")
    }

    @Test("a PTK corrects the address before LANJUT; a wrong password changes nothing")
    func ptkCorrectsAddress() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("budi", PortalFixture.ptkPassword)
            _ = try await browser.get("/verifikasi")
            let refused = try await browser.post(
                "/verifikasi/ubah-email", ["email": "budi.benar@guru.example", "sandi": "salah-sandi-123"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("id=\"email-aktif\">budi@guru.example<"))
            let corrected = try await browser.follow(
                try await browser.post(
                    "/verifikasi/ubah-email", ["email": "budi.benar@guru.example", "sandi": PortalFixture.ptkPassword]))
            #expect(corrected.body.contains("Email Aktif disimpan."))
            #expect(corrected.body.contains("id=\"email-aktif\">budi.benar@guru.example<"))
        }
    }

    @Test("a correction right after a code says when LANJUT works again, and LANJUT before then mails nothing")
    func correctionKeepsTheCooldown() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("budi", PortalFixture.ptkPassword)
            try await browser.continueToCode()
            #expect(PortalFixture.latestCode(in: fixture.maildir, to: "budi@guru.example") != nil)
            _ = try await browser.get("/verifikasi")
            let corrected = try await browser.follow(
                try await browser.post(
                    "/verifikasi/ubah-email", ["email": "budi.benar@guru.example", "sandi": PortalFixture.ptkPassword]))
            #expect(corrected.body.contains("LANJUT dapat diklik mulai"), "\(corrected.body)")
            let refused = try await browser.follow(try await browser.post("/verifikasi/lanjut", [:]))
            #expect(refused.body.contains("baru saja diminta"), "\(refused.body)")
            #expect(refused.body.contains("Kode baru boleh diminta mulai"), "\(refused.body)")
            #expect(refused.body.contains("id=\"minta-kode-baru\" class=\"secondary\" disabled"), "\(refused.body)")
            #expect(PortalFixture.latestCode(in: fixture.maildir, to: "budi.benar@guru.example") == nil)
        }
    }
}

@Suite("The portal in English", .closesFixtureStores)
struct EnglishPageTests {
    @Test("an English page names the portal in English and escapes a library text once")
    func englishFrameAndEscaping() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let ptk = TestBrowser(client)
            _ = try await ptk.logIn("budi", PortalFixture.ptkPassword)
            try await ptk.continueToCode()
            let manager = TestBrowser(client)
            _ = try await manager.logIn("siti", PortalFixture.password)
            let indonesian = try await manager.get("/sekolah/akun")
            #expect(indonesian.body.contains("<title>Akun PTK · Verifikasi Dapodik</title>"))
            #expect(indonesian.body.contains("<p class=\"brand\">Verifikasi Akun Dapodik</p>"))
            _ = try await manager.get("/bahasa/en?ke=/sekolah/akun")
            let english = try await manager.get("/sekolah/akun")
            #expect(english.status == .ok)
            #expect(english.body.contains("<title>Staff accounts · Dapodik Verification</title>"), "\(english.body)")
            #expect(english.body.contains("<p class=\"brand\">Dapodik Account Verification</p>"))
            #expect(!english.body.contains("Verifikasi"), "\(english.body)")
            // The staff's status names the account's holder: its apostrophe escaped once, not twice.
            #expect(english.body.contains("The account&#39;s holder"), "\(english.body)")
            #expect(!english.body.contains("&amp;#39;"), "\(english.body)")
            let detail = try await manager.get("/sekolah/akun/\(fixture.ptkA.id.description)")
            #expect(detail.body.contains("The person&#39;s own active e-mail"), "\(detail.body)")
            #expect(!detail.body.contains("&amp;"), "\(detail.body)")
        }
    }
}
