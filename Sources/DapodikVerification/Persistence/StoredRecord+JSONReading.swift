// The stored documents of the records every verification cycle reads (an account, a challenge, an
// outbox message, a school), read by hand in the order `StoredRecord+JSONWriting.swift` writes them
// (a school in the order `JSONEncoder` writes it, its only writer), through the same validating
// initializers `Codable` uses. Anything else (and any value an initializer refuses) is
// decoded by `JSONDecoder` instead (`RecordCoding.decode(_:from:fast:)`), which gives today's value or
// error.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension School {
    /// The school in `data` if it is of `JSONEncoder`'s exact shape (sorted keys, no whitespace);
    /// `nil` otherwise (also when a field is refused: `JSONDecoder` then says why).
    static func fastDecoded(_ data: Data) -> School? { RecordCoding.fastDecode(data, read) }

    static func decodedRecord(_ data: Data, version: UInt64) throws -> School {
        try RecordCoding.decode(School.self, from: data, fast: read)
    }

    static func read(from reader: inout RecordJSONReader) throws -> School {
        try reader.beginObject()
        try reader.key("name")
        let name = try DisplayName(stored: try reader.string())
        try reader.key("npsn")
        let npsn = try NPSN(try reader.string())
        try reader.key("timeZone")
        guard let timeZone = SchoolTimeZone(rawValue: try reader.string()) else { throw RecordJSONReader.Unexpected() }
        try reader.endObject()
        return School(npsn: npsn, name: name, timeZone: timeZone)
    }
}

extension Account {
    /// The account in `data` if it is of the writer's exact shape; `nil` otherwise (also when a
    /// field is refused: `JSONDecoder` then says why).
    static func fastDecoded(_ data: Data) -> Account? { RecordCoding.fastDecode(data, read) }

    static func read(from reader: inout RecordJSONReader) throws -> Account {
        try reader.beginObject()
        try reader.key("createdAt")
        let createdAt = try reader.date()
        try reader.key("displayName")
        let displayName = try DisplayName(stored: try reader.string())
        let email = reader.hasKey("email") ? try reader.emailAddress() : nil
        try reader.key("emailStatus")
        let emailStatus = try readEmailStatus(from: &reader)
        try reader.key("id")
        let id = AccountID(try reader.uuid())
        let nik = reader.hasKey("nik") ? try NIK(try reader.string()) : nil
        let nip = reader.hasKey("nip") ? try NIP(try reader.string()) : nil
        let nuptk = reader.hasKey("nuptk") ? try NUPTK(try reader.string()) : nil
        let password = reader.hasKey("password") ? PasswordCredential(encoded: try reader.string()) : nil
        try reader.key("role")
        guard let role = Role(rawValue: try reader.string()) else { throw RecordJSONReader.Unexpected() }
        try reader.key("schoolNPSN")
        let schoolNPSN = try NPSN(try reader.string())
        try reader.key("updatedAt")
        let updatedAt = try reader.date()
        try reader.key("username")
        let username = try Username(try reader.string())
        try reader.key("version")
        let version = try reader.integer(UInt64.self)
        try reader.endObject()
        return Account(
            id: id, role: role, schoolNPSN: schoolNPSN, displayName: displayName, nuptk: nuptk, nik: nik, nip: nip,
            username: username, email: email, emailStatus: emailStatus, password: password, createdAt: createdAt,
            updatedAt: updatedAt, version: version)
    }

    private static func readEmailStatus(from reader: inout RecordJSONReader) throws -> EmailStatus {
        try reader.beginObject()
        let address = reader.hasKey("address") ? try reader.emailAddress() : nil
        try reader.key("state")
        let state = try reader.string()
        let status: EmailStatus
        switch (state, address) {
        case ("unverified", nil):
            status = .unverified
        case ("verified", let address?):
            try reader.key("verifiedAt")
            status = .verified(at: try reader.date(), address: address)
        default:
            throw RecordJSONReader.Unexpected()
        }
        try reader.endObject()
        return status
    }
}

extension VerificationChallenge {
    /// The challenge in `data` if it is of the writer's exact shape; `nil` otherwise (also when a
    /// field or an invariant is refused: `JSONDecoder` then says why).
    static func fastDecoded(_ data: Data) -> VerificationChallenge? { RecordCoding.fastDecode(data, read) }

    static func decodedRecord(_ data: Data, version: UInt64) throws -> VerificationChallenge {
        try RecordCoding.decode(VerificationChallenge.self, from: data, fast: read)
    }

    static func read(from reader: inout RecordJSONReader) throws -> VerificationChallenge {
        try reader.beginObject()
        try reader.key("account")
        let account = AccountID(try reader.uuid())
        var accountCodesIssuedBefore: [Date] = []
        if reader.hasKey("accountCodesIssuedBefore") {
            try reader.beginArray()
            while try reader.nextElement() { accountCodesIssuedBefore.append(try reader.date()) }
        }
        try reader.key("address")
        let address = try reader.emailAddress()
        try reader.key("codes")
        try reader.beginArray()
        var codes: [IssuedCode] = []
        while try reader.nextElement() {
            try reader.beginObject()
            try reader.key("digest")
            let digest = try CodeDigest(storedText: try reader.string())
            let handedOverAt = reader.hasKey("handedOverAt") ? try reader.date() : nil
            try reader.key("issuedAt")
            let issuedAt = try reader.date()
            try reader.key("keyID")
            let keyID = try CodeKeyID(try reader.string())
            try reader.key("ordinal")
            let ordinal = try reader.integer(Int.self)
            try reader.endObject()
            codes.append(
                IssuedCode(
                    ordinal: ordinal, keyID: keyID, digest: digest, issuedAt: issuedAt, handedOverAt: handedOverAt))
        }
        try reader.key("createdAt")
        let createdAt = try reader.date()
        try reader.key("failedAttempts")
        let failedAttempts = try reader.integer(Int.self)
        try reader.key("id")
        let id = ChallengeID(try reader.uuid())
        try reader.key("purpose")
        let purpose = VerificationPurpose(try reader.string())
        try reader.key("state")
        let state = try readState(from: &reader)
        try reader.endObject()
        return try VerificationChallenge(
            stored: id, account: account, purpose: purpose, address: address, createdAt: createdAt,
            accountCodesIssuedBefore: accountCodesIssuedBefore, codes: codes, failedAttempts: failedAttempts,
            state: state)
    }

    private static func readState(from reader: inout RecordJSONReader) throws -> ChallengeState {
        try reader.beginObject()
        let state: ChallengeState
        if reader.hasKey("open") {
            try reader.emptyObject()
            state = .open
        } else if reader.hasKey("verified") {
            try reader.beginObject()
            try reader.key("at")
            let at = try reader.date()
            try reader.key("ordinal")
            state = .verified(ordinal: try reader.integer(Int.self), at: at)
            try reader.endObject()
        } else if reader.hasKey("cancelled") {
            try reader.beginObject()
            try reader.key("at")
            let at = try reader.date()
            try reader.key("reason")
            state = .cancelled(reason: CancellationReason(try reader.string()), at: at)
            try reader.endObject()
        } else {
            try reader.key("exhausted")
            try reader.beginObject()
            try reader.key("at")
            state = .exhausted(at: try reader.date())
            try reader.endObject()
        }
        try reader.endObject()
        return state
    }
}

extension OutboxMessage {
    /// The message in `data` if it is of the writer's exact shape (never one with a bounce report);
    /// `nil` otherwise (also when a field is refused: `JSONDecoder` then says why).
    static func fastDecoded(_ data: Data) -> OutboxMessage? { RecordCoding.fastDecode(data, read) }

    static func decodedRecord(_ data: Data, version: UInt64) throws -> OutboxMessage {
        try RecordCoding.decode(OutboxMessage.self, from: data, fast: read)
    }

    static func read(from reader: inout RecordJSONReader) throws -> OutboxMessage {
        try reader.beginObject()
        try reader.key("account")
        let account = AccountID(try reader.uuid())
        try reader.key("attempts")
        try reader.beginArray()
        var attempts: [Attempt] = []
        while try reader.nextElement() {
            try reader.beginObject()
            try reader.key("at")
            let at = try reader.date()
            let detail = reader.hasKey("detail") ? try reader.string() : nil
            try reader.key("disposition")
            let disposition = try readDisposition(from: &reader)
            let exitStatus = reader.hasKey("exitStatus") ? try reader.integer(Int32.self) : nil
            let outcomeUnknown = reader.hasKey("outcomeUnknown") ? try reader.bool() : nil
            let replyCode = reader.hasKey("replyCode") ? try reader.integer(Int.self) : nil
            let serverReply = reader.hasKey("serverReply") ? try reader.string() : nil
            try reader.endObject()
            attempts.append(
                Attempt(
                    at: at, disposition: disposition, replyCode: replyCode, exitStatus: exitStatus, detail: detail,
                    serverReply: serverReply, outcomeUnknown: outcomeUnknown))
        }
        try reader.key("content")
        let content = try readContent(from: &reader)
        try reader.key("createdAt")
        let createdAt = try reader.date()
        try reader.key("id")
        let id = try reader.uuid()
        try reader.key("language")
        guard let language = Language(rawValue: try reader.string()) else { throw RecordJSONReader.Unexpected() }
        try reader.key("messageID")
        let messageID = try reader.string()
        try reader.key("recipient")
        let recipient = try reader.emailAddress()
        try reader.key("recipientName")
        let recipientName = try reader.string()
        try reader.key("school")
        let school = try reader.string()
        try reader.key("schoolName")
        let schoolName = try reader.string()
        try reader.key("state")
        let state = try readState(from: &reader)
        try reader.key("timeZone")
        guard let timeZone = SchoolTimeZone(rawValue: try reader.string()) else {
            throw RecordJSONReader.Unexpected()
        }
        try reader.endObject()
        return OutboxMessage(
            id: id, messageID: messageID, content: content, recipient: recipient, recipientName: recipientName,
            account: account, school: school, schoolName: schoolName, timeZone: timeZone, language: language,
            createdAt: createdAt, state: state, attempts: attempts)
    }

    private static func readDisposition(from reader: inout RecordJSONReader) throws -> Disposition {
        guard let disposition = Disposition(rawValue: try reader.string()) else { throw RecordJSONReader.Unexpected() }
        return disposition
    }

    private static func readContent(from reader: inout RecordJSONReader) throws -> Content {
        try reader.beginObject()
        let content: Content
        if reader.hasKey("verificationCode") {
            try reader.beginObject()
            try reader.key("_0")
            try reader.beginObject()
            try reader.key("challenge")
            let challenge = ChallengeID(try reader.uuid())
            try reader.key("issuedAt")
            let issuedAt = try reader.date()
            try reader.key("ordinal")
            let ordinal = try reader.integer(Int.self)
            try reader.key("purpose")
            let purpose = VerificationPurpose(try reader.string())
            let sealedCode = reader.hasKey("sealedCode") ? try readSeal(from: &reader) : nil
            try reader.key("username")
            let username = try reader.string()
            try reader.endObject()
            try reader.endObject()
            content = .verificationCode(
                CodeContent(
                    challenge: challenge, ordinal: ordinal, purpose: purpose, sealedCode: sealedCode,
                    issuedAt: issuedAt, username: username))
        } else {
            try reader.key("addressChangeNotice")
            try reader.beginObject()
            try reader.key("_0")
            try reader.beginObject()
            try reader.key("changedAt")
            let changedAt = try reader.date()
            try reader.key("changedBy")
            let changedBy = try reader.string()
            try reader.key("newAddress")
            let newAddress = try reader.emailAddress()
            try reader.key("username")
            let username = try reader.string()
            try reader.endObject()
            try reader.endObject()
            content = .addressChangeNotice(
                NoticeContent(newAddress: newAddress, username: username, changedBy: changedBy, changedAt: changedAt))
        }
        try reader.endObject()
        return content
    }

    private static func readSeal(from reader: inout RecordJSONReader) throws -> CodeSeal {
        try reader.beginObject()
        let derivedFromCodeKey = reader.hasKey("derivedFromCodeKey") ? try reader.bool() : nil
        try reader.key("digits")
        let digits = try reader.string()
        try reader.key("keyID")
        let keyID = try reader.string()
        let tag = reader.hasKey("tag") ? try reader.string() : nil
        try reader.endObject()
        return CodeSeal(keyID: keyID, digits: digits, derivedFromCodeKey: derivedFromCodeKey, tag: tag)
    }

    private static func readState(from reader: inout RecordJSONReader) throws -> State {
        try reader.beginObject()
        let state: State
        if reader.hasKey("queued") {
            try reader.emptyObject()
            state = .queued
        } else if reader.hasKey("sending") {
            try reader.beginObject()
            try reader.key("leaseUntil")
            let leaseUntil = try reader.date()
            state = .sending(leaseUntil: leaseUntil, since: reader.hasKey("since") ? try reader.date() : nil)
            try reader.endObject()
        } else if reader.hasKey("retrying") {
            try reader.beginObject()
            try reader.key("disposition")
            let disposition = try readDisposition(from: &reader)
            try reader.key("nextAttemptAt")
            state = .retrying(nextAttemptAt: try reader.date(), disposition: disposition)
            try reader.endObject()
        } else {
            let instant: (Date) -> State
            if reader.hasKey("handedOver") {
                instant = State.handedOver
            } else if reader.hasKey("failed") {
                instant = State.failed
            } else if reader.hasKey("expired") {
                instant = State.expired
            } else {
                try reader.key("cancelled")
                instant = State.cancelled
            }
            try reader.beginObject()
            try reader.key("at")
            state = instant(try reader.date())
            try reader.endObject()
        }
        try reader.endObject()
        return state
    }
}

extension MailboxReservation {
    /// The reservation in `data` if it is of the writer's exact shape; `nil` otherwise.
    static func fastDecoded(_ data: Data) -> MailboxReservation? { RecordCoding.fastDecode(data, read) }

    static func decodedRecord(_ data: Data, version: UInt64) throws -> MailboxReservation {
        try RecordCoding.decode(MailboxReservation.self, from: data, fast: read)
    }

    static func read(from reader: inout RecordJSONReader) throws -> MailboxReservation {
        try reader.beginObject()
        try reader.key("account")
        let account = AccountID(try reader.uuid())
        try reader.endObject()
        return MailboxReservation(account: account)
    }
}

extension AddressQuota {
    /// Read on every code request to an address sent a code in the last 24 hours: read by hand as
    /// `StoredRecord+JSONWriting.swift` writes it, `JSONDecoder` for any other shape.
    static func fastDecoded(_ data: Data) -> AddressQuota? { RecordCoding.fastDecode(data, read) }

    static func decodedRecord(_ data: Data, version: UInt64) throws -> AddressQuota {
        try RecordCoding.decode(AddressQuota.self, from: data, fast: read)
    }

    static func read(from reader: inout RecordJSONReader) throws -> AddressQuota {
        try reader.beginObject()
        try reader.key("sends")
        try reader.beginArray()
        var sends: [Date] = []
        while try reader.nextElement() { sends.append(try reader.date()) }
        try reader.endObject()
        return AddressQuota(sends: sends)
    }
}
