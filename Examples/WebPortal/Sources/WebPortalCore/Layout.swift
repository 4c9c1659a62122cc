import DapodikVerification

/// The frame of every page: head, header with navigation and language switch, main, footer.
enum Layout {
    /// Renders a page.
    /// - Parameters:
    ///   - visit: The visit (language, session).
    ///   - portal: The portal (demo mode, flash messages).
    ///   - title: The page's title.
    ///   - body: The page's main content.
    /// - Returns: The whole document.
    static func render(visit: Visit, portal: Portal, title: String, body: HTML) -> HTML {
        let languageCode = visit.language == .english ? "en" : "id"
        let flash = portal.sessions.takeFlash(for: visit.session.id).map { message -> HTML in
            "<p class=\"notice\" role=\"status\">\(visit.text(message))</p>"
        }
        return """
            <!doctype html>
            <html lang="\(languageCode)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · \(visit.text("Verifikasi Dapodik", "Dapodik Verification"))</title>
            <link rel="stylesheet" href="/static/portal.css">
            <script src="/static/status.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#isi">\(visit.text("Lompat ke isi", "Skip to content"))</a>
            <header>
            <p class="brand">\(visit.text("Verifikasi Akun Dapodik", "Dapodik Account Verification"))</p>
            \(navigation(visit, portal: portal))
            \(languageSwitch(visit))
            </header>
            <main id="isi">
            <h1>\(title)</h1>
            \(flash ?? "")
            \(body)
            </main>
            </body>
            </html>
            """
    }

    /// The links of the logged-in person (and the demo's mailbox).
    static func navigation(_ visit: Visit, portal: Portal) -> HTML {
        var links: [HTML] = []
        if let login = visit.login {
            links.append("<li><a href=\"/akun\">BIODATA → Akun</a></li>")
            if login.role != .ptk {
                links.append("<li><a href=\"/sekolah/akun\">\(visit.text("Akun PTK", "Staff accounts"))</a></li>")
            }
        }
        if portal.configuration.demoMaildir != nil {
            links.append("<li><a href=\"/demo/kotak-surat\">\(visit.text("Kotak surat demo", "Demo mailbox"))</a></li>")
        }
        let logout: HTML =
            visit.login == nil
            ? "<li><a href=\"/masuk\">\(visit.text("Masuk", "Log in"))</a></li>"
            : """
            <li><form method="post" action="/keluar">\(portal.csrfField(visit))\
            <button type="submit" class="link">\(visit.text("Keluar", "Log out"))</button></form></li>
            """
        return "<nav aria-label=\"\(visit.text("Menu", "Menu"))\"><ul>\(links)\(logout)</ul></nav>"
    }

    /// The language switch: a link to the other language, back to this page.
    static func languageSwitch(_ visit: Visit) -> HTML {
        let (code, label) = visit.language == .english ? ("id", "Bahasa Indonesia") : ("en", "English")
        return """
            <p class="language"><a href="/bahasa/\(code)?ke=\(visit.path)" hreflang="\(code)" \
            lang="\(code)">\(label)</a></p>
            """
    }
}
