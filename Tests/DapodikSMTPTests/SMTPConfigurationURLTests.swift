#if SMTP
    import DapodikAccounts
    import DapodikLanguage
    import DapodikSMTP
    import Testing

    struct SMTPConfigurationURLTests {
        @Test("smtps:// is implicit TLS on 465, smtp:// required STARTTLS on 587")
        func schemes() throws {
            let implicit = try SMTPConfiguration(url: "smtps://ops@smtp.sekolah.sch.id", secret: "s")
            #expect(implicit.security == .implicitTLS)
            #expect(implicit.port == 465)
            #expect(implicit.host == "smtp.sekolah.sch.id")
            #expect(implicit.credentials == .password(username: "ops", password: "s"))
            let starttls = try SMTPConfiguration(url: "smtp://operator%40sekolah.sch.id@relay.test:2525/", secret: "s")
            #expect(starttls.security == .startTLS)
            #expect(starttls.port == 2525)
            #expect(starttls.credentials?.username == "operator@sekolah.sch.id")
            let literal = try SMTPConfiguration(url: "smtp://[::1]:587", secret: nil)
            #expect(literal.host == "::1")
            #expect(literal.credentials == nil)
            let token = try SMTPConfiguration(url: "smtps://a@b.test:465", secret: "tok", oauth2: true)
            #expect(token.credentials == .oauth2(username: "a", accessToken: "tok"))
        }

        @Test(
            "a bad URL is a typed error",
            arguments: [
                ("http://host", "smtp.url.unsupportedScheme"), ("smtps://user:pw@host", "smtp.url.passwordInURL"),
                ("smtps://", "smtp.url.malformed"), ("smtps://host:0", "smtp.url.malformed"),
                ("smtps://host:99999", "smtp.url.malformed"), ("smtps://host/path", "smtp.url.malformed"),
                ("smtps://@host", "smtp.url.malformed"), ("smtp://user@host:465", "smtp.url.securityMismatch"),
                ("smtps://host:587", "smtp.url.securityMismatch"), ("smtps://host:25", "smtp.url.securityMismatch"),
            ])
        func malformed(url: String, code: String) {
            #expect {
                try SMTPConfiguration(url: url, secret: "x")
            } throws: { error in
                (error as? SMTPConfigurationError)?.code.rawValue == code
            }
        }

        @Test("the password in a URL is not echoed in the error")
        func passwordNotEchoed() {
            let error = #expect(throws: SMTPConfigurationError.self) {
                try SMTPConfiguration(url: "smtps://user:hunter2@host", secret: nil)
            }
            #expect(error?.message.indonesian.contains("hunter2") == false)
            #expect(error?.message.english.contains("hunter2") == false)
        }
    }
#endif
