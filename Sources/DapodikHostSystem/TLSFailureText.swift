/// The description of a TLS library's failure (swift-nio-ssl's, which wraps BoringSSL), made fit to
/// show: BoringSSL's error numbers and the source path and line of the library's own build are taken
/// out, and its reason names are kept.
package enum TLSFailureText {
    /// `description` without BoringSSL's numbers and source paths: `Error: 268435581
    /// error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /…/handshake.cc:381`
    /// becomes `CERTIFICATE_VERIFY_FAILED`. A source path is a word after ` at ` that ends in
    /// `:line`.
    /// - Parameter description: What the library's error describes itself as (`"\(error)"`).
    package static func cleaned(_ description: String) -> String {
        description
            .replacing(#/Error: \d+ error:[0-9A-Fa-f]+:[^:\]]*:[^:\]]*:/#, with: "")
            .replacing(#/ at [^\s\],)]+:\d+/#, with: "")
    }

    /// Whether `description` says the two sides share no TLS version or cipher (an outdated server, a
    /// server that does not speak TLS on that port), which retrying does not mend.
    /// - Parameter description: What the library's error describes itself as.
    package static func isProtocolMismatch(_ description: String) -> Bool {
        [
            "WRONG_VERSION_NUMBER", "UNSUPPORTED_PROTOCOL", "NO_SHARED_CIPHER", "NO_CIPHERS_AVAILABLE",
            "TLSV1_ALERT_PROTOCOL_VERSION", "SSLV3_ALERT_HANDSHAKE_FAILURE", "HANDSHAKE_FAILURE_ON_CLIENT_HELLO",
        ].contains { description.contains($0) }
    }

    /// Whether `description` says the peer's certificate was not trusted or not for the name asked
    /// for (rather than, say, no common protocol version).
    /// - Parameter description: What the library's error describes itself as.
    package static func isCertificateRefusal(_ description: String) -> Bool {
        description.contains("CERTIFICATE_VERIFY_FAILED") || description.contains("failedToValidateHostname")
            || description.contains("serverHostnameImpossibleToMatch")
    }
}
