#if SMTP
    import NIOCore
    import Testing

    @testable import DapodikSMTP

    struct SMTPDataEncodingTests {
        static func encoded(_ text: String) -> String {
            var buffer = ByteBuffer()
            SMTPDataEncoding.encode(Array(text.utf8), into: &buffer)
            return String(buffer: buffer)
        }

        @Test("lines starting with a dot get another; the end is CRLF.CRLF")
        func dotStuffing() {
            #expect(Self.encoded(".\r\n..a\r\nb.c\r\n. d\r\n") == "..\r\n...a\r\nb.c\r\n.. d\r\n.\r\n")
        }

        @Test("bare LF and bare CR become CRLF; a missing final line end is added")
        func lineEnds() {
            #expect(Self.encoded("a\nb\rc\r\n.d") == "a\r\nb\r\nc\r\n..d\r\n.\r\n")
            #expect(Self.encoded("") == ".\r\n")
        }
    }

    struct SMTPConnectionRulesTests {
        @Test("plaintext is allowed only to loopback addresses")
        func loopback() throws {
            for address in ["127.0.0.1", "127.8.9.1", "::1"] {
                #expect(SMTPConnection.isLoopback(try SocketAddress(ipAddress: address, port: 25)))
            }
            for address in ["10.0.0.1", "192.168.1.5", "::2", "128.0.0.1"] {
                #expect(!SMTPConnection.isLoopback(try SocketAddress(ipAddress: address, port: 25)))
            }
        }

        @Test("the certificate is checked against the host name; an IP address sends no server name")
        func serverName() {
            #expect(SMTPConnection.tlsServerName(for: "smtp.kemdikbud.go.id") == "smtp.kemdikbud.go.id")
            #expect(SMTPConnection.tlsServerName(for: "127.0.0.1") == nil)
            #expect(SMTPConnection.tlsServerName(for: "[::1]") == nil)
        }

        @Test("credentials never show their secret")
        func credentialsHidden() {
            let password = SMTPCredentials.password(username: "ops", password: "s3cret-pass")
            let token = SMTPCredentials.oauth2(username: "ops", accessToken: "ya29.secret")
            for text in ["\(password)", String(reflecting: password), "\(token)", String(reflecting: token)] {
                #expect(!text.contains("s3cret") && !text.contains("ya29"))
            }
        }
    }
#endif
