#if SMTP
    import NIOCore

    /// Splits the bytes from the server into replies: lines of `code-text` continued until a line
    /// of `code text` (or just `code`), RFC 5321 §4.2.1.
    ///
    /// Lines end in CRLF; a bare LF is accepted too, as a tolerant client should. A line longer
    /// than ``maximumLineLength``, a line without a three-digit code, or a continuation with a
    /// different code is a protocol error: the connection cannot be trusted after it.
    struct SMTPReplyParser {
        /// RFC 5321 §4.5.3.1.5 limits a reply line to 512 octets; real servers write longer
        /// ones (long EHLO keywords, banners), so allow eight times that before giving up.
        static let maximumLineLength = 4096
        /// A bound on the lines of one reply, so a server cannot make the client buffer for ever.
        static let maximumLineCount = 256

        private var buffer = ByteBuffer()
        private var pendingCode: Int?
        private var pendingLines: [String] = []

        /// Whether bytes were received that are not yet part of a complete reply. After the reply
        /// to `STARTTLS` there must be none: anything there was sent in plaintext by someone who
        /// hoped it would be read as coming through TLS (the STARTTLS command injection of
        /// CVE-2011-0411), so the session is abandoned.
        var hasBufferedInput: Bool { buffer.readableBytes > 0 || pendingCode != nil }

        /// Adds received bytes.
        mutating func append(_ bytes: ByteBuffer) {
            var bytes = bytes
            buffer.writeBuffer(&bytes)
        }

        /// The next complete reply, or `nil` if more bytes are needed.
        /// - Throws: ``SMTPProtocolError`` if the server broke the reply syntax.
        mutating func nextReply() throws(SMTPProtocolError) -> SMTPReply? {
            while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - buffer.readerIndex
                guard length <= Self.maximumLineLength else { throw .lineTooLong }
                var line = buffer.readBytes(length: length + 1) ?? []
                line.removeLast()
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
                guard line.count >= 3, line[0..<3].allSatisfy({ digits.contains($0) }),
                    line.count == 3 || line[3] == UInt8(ascii: " ") || line[3] == UInt8(ascii: "-"),
                    let code = Int(String(decoding: line[0..<3], as: UTF8.self))
                else { throw .malformedReply }
                if let pendingCode, pendingCode != code { throw .malformedReply }
                pendingCode = code
                pendingLines.append(line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : "")
                guard pendingLines.count <= Self.maximumLineCount else { throw .lineTooLong }
                if line.count > 3 && line[3] == UInt8(ascii: "-") { continue }
                let reply = SMTPReply(code: code, lines: pendingLines)
                pendingCode = nil
                pendingLines = []
                buffer.discardReadBytes()
                return reply
            }
            if buffer.readableBytes > Self.maximumLineLength { throw .lineTooLong }
            return nil
        }
    }

    /// The server broke the protocol; nothing more is read from the connection.
    enum SMTPProtocolError: Error, Equatable {
        /// A reply line without a three-digit code, or a continuation with another code.
        case malformedReply
        /// A reply line or a reply longer than the parser accepts.
        case lineTooLong
        /// Replies came that no command asked for, or bytes followed the reply to `STARTTLS`.
        case unexpectedReply
    }
#endif
