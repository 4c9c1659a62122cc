#if SMTP
    import NIOCore
    import Testing

    @testable import DapodikSMTP

    struct SMTPReplyParserTests {
        static func replies(_ text: String, in chunks: Int = 1) throws -> [SMTPReply] {
            var parser = SMTPReplyParser()
            var replies: [SMTPReply] = []
            let bytes = Array(text.utf8)
            let size = max(1, (bytes.count + chunks - 1) / chunks)
            for start in stride(from: 0, to: bytes.count, by: size) {
                parser.append(ByteBuffer(bytes: bytes[start..<min(bytes.count, start + size)]))
                while let reply = try parser.nextReply() { replies.append(reply) }
            }
            return replies
        }

        @Test("a multi-line reply is one reply, however the bytes are split", arguments: [1, 3, 7, 200])
        func multiLine(chunks: Int) throws {
            let replies = try Self.replies(
                "250-smtp.test halo\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 8BITMIME\r\n220 ok\r\n", in: chunks)
            #expect(replies.count == 2)
            #expect(replies[0].code == 250)
            #expect(replies[0].lines == ["smtp.test halo", "PIPELINING", "SIZE 1000", "8BITMIME"])
            #expect(replies[1] == SMTPReply(code: 220, lines: ["ok"]))
        }

        @Test("the enhanced status code is kept when its class matches the reply's")
        func enhancedStatus() throws {
            #expect(try Self.replies("550 5.1.1 No such user\r\n")[0].enhancedStatus == "5.1.1")
            #expect(try Self.replies("451 4.7.10 Later\r\n")[0].enhancedStatus == "4.7.10")
            #expect(try Self.replies("550 4.1.1 mismatch\r\n")[0].enhancedStatus == nil)
            #expect(try Self.replies("250 ok\r\n")[0].enhancedStatus == nil)
            #expect(try Self.replies("354\r\n")[0].lines == [""])
        }

        @Test("a bare LF ends a line too")
        func bareLineFeed() throws {
            #expect(try Self.replies("250-a\n250 b\n")[0].lines == ["a", "b"])
        }

        @Test(
            "a line without a code, or a continuation with another code, is a protocol error",
            arguments: ["hello\r\n", "25\r\n", "250-a\r\n251 b\r\n", "250+x\r\n"])
        func malformed(text: String) {
            #expect(throws: SMTPProtocolError.malformedReply) { try Self.replies(text) }
        }

        @Test("an endless line is refused before it fills memory")
        func endless() {
            #expect(throws: SMTPProtocolError.lineTooLong) {
                try Self.replies("250 " + String(repeating: "x", count: 5000))
            }
        }

        @Test("EHLO keywords are read case-blind with their parameters")
        func extensions() throws {
            let reply = try Self.replies("250-smtp.test\r\n250-auth plain LOGIN\r\n250-SIZE 2048\r\n250 STARTTLS\r\n")[
                0]
            let extensions = SMTPExtensions(ehloReply: reply)
            #expect(extensions.offers("starttls"))
            #expect(!extensions.offers("PIPELINING"))
            #expect(extensions.authenticationMechanisms == ["PLAIN", "LOGIN"])
            #expect(extensions.maximumMessageSize == 2048)
        }
    }
#endif
