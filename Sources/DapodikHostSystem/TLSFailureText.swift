/// The description of a TLS library's failure (swift-nio-ssl's, which wraps BoringSSL), made fit to
/// show: BoringSSL's error numbers and the source path and line of the library's own build are taken
/// out, and its reason names are kept.
package enum TLSFailureText {
    /// `description` without BoringSSL's numbers and source paths: `Error: 268435581
    /// error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /…/handshake.cc:381`
    /// becomes `CERTIFICATE_VERIFY_FAILED`.
    /// - Parameter description: What the library's error describes itself as (`"\(error)"`).
    package static func cleaned(_ description: String) -> String {
        description
            .replacing(#/Error: \d+ error:[0-9A-Fa-f]+:[^:\]]*:[^:\]]*:/#, with: "")
            .replacing(#/ at \/[^\s\],)]*/#, with: "")
    }

    /// Whether `description` says the peer's certificate was not trusted or not for the name asked
    /// for (rather than, say, no common protocol version).
    /// - Parameter description: What the library's error describes itself as.
    package static func isCertificateRefusal(_ description: String) -> Bool {
        description.contains("CERTIFICATE_VERIFY_FAILED") || description.contains("failedToValidateHostname")
            || description.contains("serverHostnameImpossibleToMatch")
    }
}
