#if SMTP
    import DapodikAccounts
    import DapodikMail
    import NIOCore

    /// What one mail transaction ended with.
    struct SMTPTransactionResult: Sendable {
        /// The server's reply to the final dot.
        var reply: SMTPReply
        /// The recipients the server refused while accepting others, with its replies.
        var refused: [(recipient: EmailAddress, reply: SMTPReply)]
    }

    /// A failed transaction, and whether its connection can carry the next one.
    struct SMTPTransactionFailure: Error {
        var error: MailTransportError
        /// The session is still good (the transaction was refused and reset with `RSET`).
        var connectionReusable: Bool
        /// The connection was found closed before the server took part in the transaction: a
        /// reused connection the server had already dropped. Safe to try again on a new one.
        var connectionWasStale: Bool = false
    }

    extension SMTPConnection {
        /// Runs one mail transaction (RFC 5321 §3.3): `MAIL`, `RCPT` for each recipient, `DATA`,
        /// the message; pipelined where the server offers it (RFC 2920).
        func transact(
            _ message: RenderedMessage, envelope: Envelope
        ) async throws(SMTPTransactionFailure) -> SMTPTransactionResult {
            let failures = SMTPFailures(transport: transportName)
            let timeouts = configuration.timeouts
            let mailCommand = try mailFromCommand(for: message, envelope: envelope, failures: failures)
            let recipientCommands = envelope.recipients.map { "RCPT TO:<\($0.value)>" }

            // The replies to MAIL, each RCPT and DATA.
            var replies: [SMTPReply] = []
            // 421 ends the session whatever was asked (RFC 5321 §3.8); the server closes, so the
            // replies pipelined after it never come. One given before MAIL was even answered is
            // how servers end an idle session (Postfix: "421 4.4.2 timeout exceeded"): a kept
            // connection that was already over.
            func serviceClosing() -> SMTPTransactionFailure? {
                guard let closing = replies.first(where: \.isServiceClosing) else { return nil }
                channel.close()
                return SMTPTransactionFailure(
                    error: failures.refusal(closing, at: "the server is closing the session", permanently: .permanent),
                    connectionReusable: false, connectionWasStale: replies[0].isServiceClosing)
            }
            do throws(SMTPChannel.Failure) {
                if extensions.offers("PIPELINING") {
                    let futures = await channel.send([mailCommand] + recipientCommands + ["DATA"])
                    let limits =
                        [timeouts.mail] + recipientCommands.map { _ in timeouts.recipient } + [timeouts.dataInitiation]
                    for (future, limit) in zip(futures, limits) {
                        replies.append(try await channel.wait(for: future, within: limit))
                    }
                } else {
                    replies.append(try await channel.command(mailCommand, within: timeouts.mail))
                    if replies[0].isPositiveCompletion {
                        for command in recipientCommands {
                            replies.append(try await channel.command(command, within: timeouts.recipient))
                        }
                        if replies.dropFirst().contains(where: \.isPositiveCompletion) {
                            replies.append(try await channel.command("DATA", within: timeouts.dataInitiation))
                        }
                    }
                }
            } catch {
                if let closing = serviceClosing() { throw closing }
                // Nothing was accepted yet: at worst the server has an open transaction that the
                // closed (or closing) connection discards.
                let stale = replies.isEmpty && { if case .closed = error { true } else { false } }()
                throw SMTPTransactionFailure(
                    error: failures.channelFailure(error, at: replies.isEmpty ? "MAIL FROM" : "RCPT TO / DATA"),
                    connectionReusable: false, connectionWasStale: stale)
            }
            if let closing = serviceClosing() { throw closing }

            let dataReply = replies.count == envelope.recipients.count + 2 ? replies.last : nil
            let mailReply = replies[0]
            guard mailReply.isPositiveCompletion else {
                await endDataPhaseIfOpened(by: dataReply)
                // 530 (authentication required) and 5.7.x (sender not allowed) point at the setup.
                let setup = mailReply.code == 530 || mailReply.enhancedStatus?.hasPrefix("5.7.") == true
                throw await reset(
                    failures.refusal(
                        mailReply, at: "MAIL FROM:<\(envelope.sender.value)>",
                        permanently: setup ? .misconfigured : .permanent))
            }
            var refused: [(recipient: EmailAddress, reply: SMTPReply)] = []
            for (recipient, reply) in zip(envelope.recipients, replies.dropFirst())
            where !reply.isPositiveCompletion {
                refused.append((recipient, reply))
            }

            guard refused.count < envelope.recipients.count else {
                await endDataPhaseIfOpened(by: dataReply)
                throw await reset(Self.recipientsRefused(refused, failures: failures))
            }
            guard let dataReply, dataReply.code == 354 else {
                let reply = dataReply ?? SMTPReply(code: 503, lines: ["no DATA reply"])
                throw await reset(failures.refusal(reply, at: "DATA", permanently: .permanent))
            }

            var data = channel.channel.allocator.buffer(capacity: message.bytes.count + 64)
            SMTPDataEncoding.encode(message.bytes, into: &data)
            do throws(SMTPChannel.Failure) {
                try await channel.write(data, within: timeouts.dataBlock)
            } catch {
                throw SMTPTransactionFailure(
                    error: failures.channelFailure(error, at: "message data"), connectionReusable: false)
            }
            let finalReply: SMTPReply
            do throws(SMTPChannel.Failure) {
                finalReply = try await channel.unsolicitedReply(within: timeouts.dataTermination)
            } catch {
                throw SMTPTransactionFailure(
                    error: MailTransportError(
                        .outcomeUnknown, disposition: .transient, transport: transportName,
                        detail: "the message was sent but its reply never came: "
                            + failures.channelFailure(error, at: "the end of data").detail),
                    connectionReusable: false)
            }
            guard finalReply.isPositiveCompletion else {
                if finalReply.isServiceClosing {
                    channel.close()
                    throw SMTPTransactionFailure(
                        error: failures.refusal(finalReply, at: "end of data", permanently: .permanent),
                        connectionReusable: false)
                }
                throw await reset(failures.refusal(finalReply, at: "end of data", permanently: .permanent))
            }
            return SMTPTransactionResult(reply: finalReply, refused: refused)
        }

        /// `MAIL FROM` with the parameters the message needs and the server offers: `SIZE`
        /// (RFC 1870), `BODY=8BITMIME` (RFC 6152) for 8-bit bytes, `SMTPUTF8` (RFC 6531) for
        /// non-ASCII addresses. A message that needs what the server lacks is refused here,
        /// permanently, before anything is sent.
        private func mailFromCommand(
            for message: RenderedMessage, envelope: Envelope, failures: SMTPFailures
        ) throws(SMTPTransactionFailure) -> String {
            func refuse(_ detail: String) -> SMTPTransactionFailure {
                SMTPTransactionFailure(
                    error: MailTransportError(
                        .rejected, disposition: .permanent, transport: transportName, detail: detail),
                    connectionReusable: true)
            }
            var command = "MAIL FROM:<\(envelope.sender.value)>"
            if let limit = extensions.maximumMessageSize {
                guard message.bytes.count <= limit else {
                    throw refuse("the message (\(message.bytes.count) bytes) exceeds the server's SIZE \(limit)")
                }
                command += " SIZE=\(message.bytes.count)"
            }
            if message.bytes.contains(where: { $0 >= 0x80 }) {
                guard extensions.offers("8BITMIME") else {
                    throw refuse("the message has 8-bit bytes and the server does not offer 8BITMIME")
                }
                command += " BODY=8BITMIME"
            }
            let addresses = [envelope.sender] + envelope.recipients
            if addresses.contains(where: { !$0.value.allSatisfy(\.isASCII) }) {
                guard extensions.offers("SMTPUTF8") else {
                    throw refuse("an address is not ASCII and the server does not offer SMTPUTF8")
                }
                command += " SMTPUTF8"
            }
            return command
        }

        /// Every recipient was refused: transient if any refusal was (a retry may reach them),
        /// else permanent; each recipient's reply is in the detail. A 552 to `RCPT` is a mailbox over
        /// its quota, which RFC 5321 §4.5.3.1.10 tells clients to treat as the temporary 452: room may
        /// be made, and the address is not wrong.
        private static func recipientsRefused(
            _ refused: [(recipient: EmailAddress, reply: SMTPReply)], failures: SMTPFailures
        ) -> MailTransportError {
            let transient = refused.first(where: { $0.reply.isTransientNegative || $0.reply.code == 552 })
            let reply = (transient ?? refused[0]).reply
            let error = failures.refusal(
                reply, at: "RCPT TO", permanently: reply.code == 552 ? .transient : .permanent)
            return MailTransportError(
                error.code, disposition: error.disposition, transport: error.transport, smtpReplyCode: reply.code,
                detail: refused.map { "RCPT TO:<\($0.recipient.value)>: \($0.reply)" }.joined(separator: "; "),
                serverReply: error.serverReply)
        }

        /// A pipelined `DATA` answered 354 although the transaction had failed (a server that
        /// accepts DATA with no valid sender or recipient, RFC 2920 §3.1): the server now reads
        /// message text, so it gets an empty message, which it must refuse, before `RSET`.
        private func endDataPhaseIfOpened(by dataReply: SMTPReply?) async {
            guard dataReply?.code == 354 else { return }
            var buffer = channel.channel.allocator.buffer(capacity: 3)
            buffer.writeString(".\r\n")
            _ = try? await channel.write(buffer, within: configuration.timeouts.dataBlock)
            _ = try? await channel.unsolicitedReply(within: configuration.timeouts.dataTermination)
        }

        /// Ends a refused transaction with `RSET` (RFC 5321 §4.1.1.5), so the connection can carry
        /// the next message; if even that fails, the connection is given up.
        private func reset(_ error: MailTransportError) async -> SMTPTransactionFailure {
            let reply = try? await channel.command("RSET", within: configuration.timeouts.mail)
            let reusable = reply?.isPositiveCompletion == true
            if !reusable { channel.close() }
            return SMTPTransactionFailure(error: error, connectionReusable: reusable)
        }
    }
#endif
