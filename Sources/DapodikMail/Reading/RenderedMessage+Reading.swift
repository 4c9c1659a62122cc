extension RenderedMessage {
    /// The plain-text body, decoded from quoted-printable, with LF line ends: what a person reads.
    ///
    /// Meant for messages this library rendered (tests and tools read a code back from a sent
    /// message with it); it is not a general MIME parser: it reads a `text/plain` message or the
    /// `text/plain` part of a `multipart/alternative` one, as `ReceivedMessage.plainText` does.
    /// - Returns: The text, or `nil` when the message has no `text/plain` part in a transfer
    ///   encoding it reads.
    public var plainText: String? {
        ReceivedMessage(bytes: bytes).plainText
    }
}
