#if SMTP
    import NIOCore

    /// The message as it goes after `DATA` (RFC 5321 §4.1.1.4, §4.5.2): every line ending in CRLF
    /// (a bare LF or CR becomes CRLF), a "." added before every line that starts with ".", and
    /// the final `CRLF.CRLF`.
    enum SMTPDataEncoding {
        /// Encodes the message for the `DATA` phase, ending with the terminating dot line.
        static func encode(_ message: [UInt8], into buffer: inout ByteBuffer) {
            buffer.reserveCapacity(buffer.writerIndex + message.count + message.count / 64 + 8)
            let cr = UInt8(ascii: "\r")
            let lf = UInt8(ascii: "\n")
            let dot = UInt8(ascii: ".")
            var atLineStart = true
            var index = 0
            while index < message.count {
                let byte = message[index]
                if atLineStart && byte == dot { buffer.writeInteger(dot) }
                switch byte {
                case cr:
                    buffer.writeBytes([cr, lf])
                    if index + 1 < message.count && message[index + 1] == lf { index += 1 }
                    atLineStart = true
                case lf:
                    buffer.writeBytes([cr, lf])
                    atLineStart = true
                default:
                    buffer.writeInteger(byte)
                    atLineStart = false
                }
                index += 1
            }
            if !atLineStart { buffer.writeBytes([cr, lf]) }
            buffer.writeBytes([dot, cr, lf])
        }
    }
#endif
