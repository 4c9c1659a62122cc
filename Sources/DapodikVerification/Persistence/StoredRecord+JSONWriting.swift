// The stored documents of the records every verification cycle writes (an account, a challenge, an
// outbox message, an address quota, an event), written by hand: the same bytes as `RecordCoding`'s
// `JSONEncoder` (pinned by `RecordJSONTests`), at a fraction of its cost. Keys are written in the
// order `JSONEncoder` sorts them (by UTF-8 bytes); an absent optional is left out; an enum case is
// `{"case":{…}}` as synthesized `Codable` writes it, a single unlabelled value under `"_0"`.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Account {
    func encodedRecord() throws -> Data {
        var writer = RecordJSONWriter()
        writer.beginObject()
        writer.key("createdAt")
        try writer.date(createdAt)
        writer.key("displayName")
        writer.string(displayName.value)
        if let email {
            writer.key("email")
            writer.email(email)
        }
        writer.key("emailStatus")
        writer.beginObject()
        switch emailStatus {
        case .unverified:
            writer.key("state")
            writer.string("unverified")
        case .verified(let at, let address):
            writer.key("address")
            writer.email(address)
            writer.key("state")
            writer.string("verified")
            writer.key("verifiedAt")
            try writer.date(at)
        }
        writer.endObject()
        writer.key("id")
        writer.uuid(id.rawValue)
        if let nik {
            writer.key("nik")
            writer.string(nik.value)
        }
        if let nip {
            writer.key("nip")
            writer.string(nip.value)
        }
        if let nuptk {
            writer.key("nuptk")
            writer.string(nuptk.value)
        }
        if let password {
            writer.key("password")
            writer.string(password.encoded)
        }
        writer.key("role")
        writer.string(role.rawValue)
        writer.key("schoolNPSN")
        writer.string(schoolNPSN.value)
        writer.key("updatedAt")
        try writer.date(updatedAt)
        writer.key("username")
        writer.string(username.value)
        writer.key("version")
        writer.integer(version)
        writer.endObject()
        return writer.finish()
    }
}

extension VerificationChallenge {
    func encodedRecord() throws -> Data {
        var writer = RecordJSONWriter()
        writer.beginObject()
        writer.key("account")
        writer.uuid(account.rawValue)
        if !accountCodesIssuedBefore.isEmpty {
            writer.key("accountCodesIssuedBefore")
            writer.beginArray()
            for time in accountCodesIssuedBefore {
                writer.element()
                try writer.date(time)
            }
            writer.endArray()
        }
        writer.key("address")
        writer.email(address)
        writer.key("codes")
        writer.beginArray()
        for code in codes {
            writer.element()
            writer.beginObject()
            writer.key("digest")
            writer.base64(code.digest.storedBytes)
            if let handedOverAt = code.handedOverAt {
                writer.key("handedOverAt")
                try writer.date(handedOverAt)
            }
            writer.key("issuedAt")
            try writer.date(code.issuedAt)
            writer.key("keyID")
            writer.string(code.keyID.rawValue)
            writer.key("ordinal")
            writer.integer(code.ordinal)
            writer.endObject()
        }
        writer.endArray()
        writer.key("createdAt")
        try writer.date(createdAt)
        writer.key("failedAttempts")
        writer.integer(failedAttempts)
        writer.key("id")
        writer.uuid(id.rawValue)
        writer.key("purpose")
        writer.string(purpose.rawValue)
        writer.key("state")
        writer.beginObject()
        switch state {
        case .open:
            writer.key("open")
            writer.emptyObject()
        case .verified(let ordinal, let at):
            writer.key("verified")
            writer.beginObject()
            writer.key("at")
            try writer.date(at)
            writer.key("ordinal")
            writer.integer(ordinal)
            writer.endObject()
        case .cancelled(let reason, let at):
            writer.key("cancelled")
            writer.beginObject()
            writer.key("at")
            try writer.date(at)
            writer.key("reason")
            writer.string(reason.rawValue)
            writer.endObject()
        case .exhausted(let at):
            writer.key("exhausted")
            writer.beginObject()
            writer.key("at")
            try writer.date(at)
            writer.endObject()
        }
        writer.endObject()
        writer.endObject()
        return writer.finish()
    }
}

extension OutboxMessage {
    func encodedRecord() throws -> Data {
        // A bounce report is rare and has a shape of its own: such a message takes the general path.
        guard returned == nil, delayEnded == nil else { return try RecordCoding.encode(self) }
        var writer = RecordJSONWriter()
        writer.beginObject()
        writer.key("account")
        writer.uuid(account.rawValue)
        writer.key("attempts")
        writer.beginArray()
        for attempt in attempts {
            writer.element()
            writer.beginObject()
            writer.key("at")
            try writer.date(attempt.at)
            if let detail = attempt.detail {
                writer.key("detail")
                writer.string(detail)
            }
            writer.key("disposition")
            writer.string(attempt.disposition.rawValue)
            if let exitStatus = attempt.exitStatus {
                writer.key("exitStatus")
                writer.integer(exitStatus)
            }
            if let outcomeUnknown = attempt.outcomeUnknown {
                writer.key("outcomeUnknown")
                writer.bool(outcomeUnknown)
            }
            if let replyCode = attempt.replyCode {
                writer.key("replyCode")
                writer.integer(replyCode)
            }
            if let serverReply = attempt.serverReply {
                writer.key("serverReply")
                writer.string(serverReply)
            }
            writer.endObject()
        }
        writer.endArray()
        writer.key("content")
        try Self.write(content, to: &writer)
        writer.key("createdAt")
        try writer.date(createdAt)
        writer.key("id")
        writer.uuid(id)
        writer.key("language")
        writer.string(language.rawValue)
        writer.key("messageID")
        writer.string(messageID)
        writer.key("recipient")
        writer.email(recipient)
        writer.key("recipientName")
        writer.string(recipientName)
        writer.key("school")
        writer.string(school)
        writer.key("schoolName")
        writer.string(schoolName)
        writer.key("state")
        try Self.write(state, to: &writer)
        writer.key("timeZone")
        writer.string(timeZone.rawValue)
        writer.endObject()
        return writer.finish()
    }

    private static func write(_ content: Content, to writer: inout RecordJSONWriter) throws {
        writer.beginObject()
        switch content {
        case .verificationCode(let code):
            writer.key("verificationCode")
            writer.beginObject()
            writer.key("_0")
            writer.beginObject()
            writer.key("challenge")
            writer.uuid(code.challenge.rawValue)
            writer.key("issuedAt")
            try writer.date(code.issuedAt)
            writer.key("ordinal")
            writer.integer(code.ordinal)
            writer.key("purpose")
            writer.string(code.purpose.rawValue)
            if let seal = code.sealedCode {
                writer.key("sealedCode")
                writer.beginObject()
                if let derived = seal.derivedFromCodeKey {
                    writer.key("derivedFromCodeKey")
                    writer.bool(derived)
                }
                writer.key("digits")
                writer.string(seal.digits)
                writer.key("keyID")
                writer.string(seal.keyID)
                if let tag = seal.tag {
                    writer.key("tag")
                    writer.string(tag)
                }
                writer.endObject()
            }
            writer.key("username")
            writer.string(code.username)
            writer.endObject()
            writer.endObject()
        case .addressChangeNotice(let notice):
            writer.key("addressChangeNotice")
            writer.beginObject()
            writer.key("_0")
            writer.beginObject()
            writer.key("changedAt")
            try writer.date(notice.changedAt)
            writer.key("changedBy")
            writer.string(notice.changedBy)
            writer.key("newAddress")
            writer.email(notice.newAddress)
            writer.key("username")
            writer.string(notice.username)
            writer.endObject()
            writer.endObject()
        }
        writer.endObject()
    }

    private static func write(_ state: State, to writer: inout RecordJSONWriter) throws {
        writer.beginObject()
        switch state {
        case .queued:
            writer.key("queued")
            writer.emptyObject()
        case .sending(let leaseUntil, let since):
            writer.key("sending")
            writer.beginObject()
            writer.key("leaseUntil")
            try writer.date(leaseUntil)
            if let since {
                writer.key("since")
                try writer.date(since)
            }
            writer.endObject()
        case .retrying(let nextAttemptAt, let disposition):
            writer.key("retrying")
            writer.beginObject()
            writer.key("disposition")
            writer.string(disposition.rawValue)
            writer.key("nextAttemptAt")
            try writer.date(nextAttemptAt)
            writer.endObject()
        case .handedOver(let at):
            try writeInstant("handedOver", at, to: &writer)
        case .failed(let at):
            try writeInstant("failed", at, to: &writer)
        case .expired(let at):
            try writeInstant("expired", at, to: &writer)
        case .cancelled(let at):
            try writeInstant("cancelled", at, to: &writer)
        }
        writer.endObject()
    }

    private static func writeInstant(_ name: StaticString, _ at: Date, to writer: inout RecordJSONWriter) throws {
        writer.key(name)
        writer.beginObject()
        writer.key("at")
        try writer.date(at)
        writer.endObject()
    }
}

extension AddressQuota {
    func encodedRecord() throws -> Data {
        var writer = RecordJSONWriter(capacity: 16 + 20 * sends.count)
        writer.beginObject()
        writer.key("sends")
        writer.beginArray()
        for send in sends {
            writer.element()
            try writer.date(send)
        }
        writer.endArray()
        writer.endObject()
        return writer.finish()
    }
}

extension MailboxReservation {
    /// Read on every code request (``VerificationService/holderOfMailbox(_:)``): written and read
    /// by hand, not by `JSONEncoder`/`JSONDecoder`, with the same bytes.
    func encodedRecord() throws -> Data {
        var writer = RecordJSONWriter(capacity: 56)
        writer.beginObject()
        writer.key("account")
        writer.uuid(account.rawValue)
        writer.endObject()
        return writer.finish()
    }
}

extension StoredEvent {
    func encodedRecord() throws -> Data {
        var writer = RecordJSONWriter(capacity: 320)
        writer.beginObject()
        if let account {
            writer.key("account")
            writer.uuid(account.rawValue)
        }
        if let actor {
            writer.key("actor")
            writer.uuid(actor.rawValue)
        }
        if let detail {
            writer.key("detail")
            writer.string(detail)
        }
        if let email {
            writer.key("email")
            writer.email(email)
        }
        writer.key("id")
        writer.uuid(id)
        writer.key("kind")
        writer.string(kind.rawValue)
        writer.key("ordinal")
        writer.integer(ordinal)
        if let school {
            writer.key("school")
            writer.string(school)
        }
        writer.key("time")
        try writer.date(time)
        writer.endObject()
        return writer.finish()
    }
}
