import DapodikHostSystem
import Testing

/// What the TLS library's errors become before anyone reads them: its reasons, without its error
/// numbers and the source paths of its build.
struct TLSFailureTextTests {
    @Test("BoringSSL's numbers and source paths are taken out, several errors of a stack each, and the reasons kept")
    func cleaned() {
        let stack =
            "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL routines:"
            + "OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /work/.build/checkouts/swift-nio-ssl/Sources/"
            + "CNIOBoringSSL/ssl/handshake.cc:393, Error: 268435712 error:10000100:SSL routines:"
            + "OPENSSL_internal:WRONG_VERSION_NUMBER at .build/checkouts/a/tls_record.cc:231]))"
        let text = TLSFailureText.cleaned(stack)
        #expect(
            text
                == "handshakeFailed(NIOSSL.BoringSSLError.sslError([CERTIFICATE_VERIFY_FAILED, WRONG_VERSION_NUMBER]))",
            "\(text)")
        #expect(TLSFailureText.isCertificateRefusal(text))
        #expect(TLSFailureText.isProtocolMismatch(text))
    }

    @Test("words that are not a source path stay: 'at' without a line number, a synthetic error")
    func keepsOtherWords() {
        for text in [
            "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error:  EOF during handshake]))",
            "connection closed at the server's request", "failedToValidateHostname: expected db.example at 10.0.0.1",
        ] {
            #expect(TLSFailureText.cleaned(text) == text)
        }
        #expect(!TLSFailureText.isCertificateRefusal("handshakeFailed(sslError([Error:  EOF during handshake]))"))
        #expect(!TLSFailureText.isProtocolMismatch("handshakeFailed(sslError([Error:  EOF during handshake]))"))
        #expect(TLSFailureText.isCertificateRefusal("NIOSSLExtraError.failedToValidateHostname: no match"))
    }
}
