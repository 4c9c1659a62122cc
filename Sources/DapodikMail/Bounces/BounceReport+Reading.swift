#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Reading a report from the bytes of an incoming message.
extension BounceReport {
    /// Reads an incoming message: a delivery status notification (RFC 3464) first, then the older
    /// text bounces (qmail, classic Exim, a mailer daemon's own wording), then auto-replies
    /// (RFC 3834); anything else is ``Kind/notABounce``.
    ///
    /// - Parameters:
    ///   - bytes: The whole message as delivered (CRLF or LF line ends), such as a Maildir file or
    ///     what Postfix's `pipe` writes to a command's standard input.
    ///   - limits: Bounds on size, nesting and counts.
    /// - Throws: ``BounceReadingError`` when the message is larger or deeper than `limits` allow, or
    ///   is not a message at all. A readable message that is no bounce is *not* an error.
    public init(bytes: some Collection<UInt8>, limits: BounceReadingLimits = BounceReadingLimits())
        throws(BounceReadingError)
    {
        guard bytes.count <= limits.maximumBytes else {
            throw .tooLarge(maximum: limits.maximumBytes)
        }
        let message = Array(bytes)
        let root = try MIMEEntity(message[...], depth: 0, budget: MIMEEntity.Budget(limits))
        guard !root.headers.isEmpty, let first = message.first, first != 0x20, first != 0x09 else {
            throw .notAMessage
        }
        let returned = try Self.returnedHeaders(in: root, limits: limits)
        var addresses = ["delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "to"]
            .flatMap { root.headers($0) }.flatMap(Self.addresses(in:))
        addresses += returned?.headers("return-path").flatMap(Self.addresses(in:)) ?? []
        var report = BounceReport(kind: .notABounce)
        report.originalMessageID = returned?.header("message-id").flatMap(Self.messageID(in:))

        if let status = Self.entity(in: root, where: { Self.deliveryStatusTypes.contains($0.mediaType) }) {
            report.kind = .deliveryStatusNotification
            let groups = try Self.fieldGroups(status.text, limits: limits)
            var perMessage: MIMEEntity?
            for group in groups {
                if perMessage == nil, group.header("final-recipient") == nil, group.header("action") == nil {
                    perMessage = group
                    continue
                }
                if let recipient = Self.recipientReport(group) {
                    guard report.recipients.count < limits.maximumRecipients else {
                        throw .tooManyParts("penerima", maximum: limits.maximumRecipients)
                    }
                    report.recipients.append(recipient)
                }
            }
            report.reportingMTA = perMessage?.header("reporting-mta").map(Self.removingType).map(Self.oneLine)
            addresses +=
                perMessage?.headers("x-postfix-sender").map(Self.removingType).flatMap(Self.addresses(in:)) ?? []
        } else if let bounce = Self.nonStandardBounce(root) {
            report.kind = .nonStandardBounce
            report.recipients = Array(bounce.recipients.prefix(limits.maximumRecipients))
            if report.originalMessageID == nil { report.originalMessageID = bounce.originalMessageID }
            addresses += bounce.returnPaths
        } else if Self.isAutoReply(root) {
            report.kind = .autoReply
        }
        var seen = Set<String>()
        report.returnAddresses = addresses.filter { seen.insert($0.lowercased()).inserted }.prefix(32).map { $0 }
        self = report
    }

    /// The media types of a delivery-status body (RFC 3464 §2.1; RFC 6533 §6.1 for UTF-8).
    static let deliveryStatusTypes: Set<String> = ["message/delivery-status", "message/global-delivery-status"]
    /// The media types of a returned message or its header (RFC 3462 §2, RFC 6533 §6).
    static let returnedTypes: Set<String> = [
        "message/rfc822", "text/rfc822-headers", "message/rfc822-headers", "message/global", "message/global-headers",
    ]

    /// The first entity, depth first, that `matches`.
    static func entity(in entity: MIMEEntity, where matches: (MIMEEntity) -> Bool) -> MIMEEntity? {
        if matches(entity) { return entity }
        for part in entity.parts {
            if let found = Self.entity(in: part, where: matches) { return found }
        }
        return nil
    }

    /// The header of the returned original message (a `message/rfc822` or `text/rfc822-headers`
    /// part), if the bounce has one.
    static func returnedHeaders(in root: MIMEEntity, limits: BounceReadingLimits) throws(BounceReadingError)
        -> MIMEEntity?
    {
        guard !root.parts.isEmpty, let part = entity(in: root, where: { returnedTypes.contains($0.mediaType) }) else {
            return nil
        }
        return try headerOnly(part.decodedBody[...], limits: limits)
    }

    /// An entity made of the header fields at the start of `bytes`, ignoring any body.
    static func headerOnly(_ bytes: ArraySlice<UInt8>, limits: BounceReadingLimits) throws(BounceReadingError)
        -> MIMEEntity
    {
        let (lines, _) = MIMEEntity.headerLines(bytes)
        return MIMEEntity(headers: try MIMEEntity.fields(lines, maximum: limits.maximumHeaderFields))
    }

    /// The groups of fields of a delivery-status body, separated by blank lines (RFC 3464 §2.1).
    static func fieldGroups(_ text: String, limits: BounceReadingLimits) throws(BounceReadingError) -> [MIMEEntity] {
        var groups: [MIMEEntity] = []
        var current: [ArraySlice<UInt8>] = []
        let bytes = Array(text.utf8)
        func flush() throws(BounceReadingError) {
            guard !current.isEmpty else { return }
            guard groups.count <= limits.maximumRecipients else {
                throw .tooManyParts("penerima", maximum: limits.maximumRecipients)
            }
            groups.append(MIMEEntity(headers: try MIMEEntity.fields(current, maximum: limits.maximumHeaderFields)))
            current = []
        }
        for line in bytes[...].split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                try flush()
            } else {
                current.append(line)
            }
        }
        try flush()
        return groups
    }

    /// One per-recipient group (RFC 3464 §2.3), or `nil` when it says neither action nor status.
    static func recipientReport(_ group: MIMEEntity) -> RecipientReport? {
        let actionWord = group.header("action")?.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ";" })
            .first.map { $0.lowercased() }
        var action = actionWord.flatMap(Action.init(rawValue:))
        let diagnostic = group.header("diagnostic-code").map(removingType).map(oneLine).map {
            String($0.prefix(maximumDiagnosticLength))
        }
        var status = group.header("status").flatMap { DeliveryStatusCode.first(in: $0) }
        // Exim writes the generic `5.0.0` and leaves the real code to the diagnostic: take the
        // diagnostic's code when it is more specific and of the same class.
        if let fromDiagnostic = diagnostic.flatMap({ DeliveryStatusCode.first(in: $0) }),
            status == nil
                || (status?.subject == 0 && status?.detail == 0 && status?.statusClass == fromDiagnostic.statusClass)
        {
            status = fromDiagnostic
        }
        if status == nil {
            switch action {
            case .failed: status = DeliveryStatusCode(statusClass: 5, subject: 0, detail: 0)
            case .delayed: status = DeliveryStatusCode(statusClass: 4, subject: 0, detail: 0)
            case .delivered, .relayed, .expanded: status = DeliveryStatusCode(statusClass: 2, subject: 0, detail: 0)
            case nil: break
            }
        }
        guard let status else { return nil }
        if action == nil {
            action = status.isPermanentFailure ? .failed : status.isTransientFailure ? .delayed : .delivered
        }
        guard let action else { return nil }
        return RecipientReport(
            finalRecipient: group.header("final-recipient").map(removingType).flatMap { addresses(in: $0).first },
            originalRecipient: group.header("original-recipient").map(removingType).flatMap { addresses(in: $0).first },
            action: action, status: status, diagnostic: diagnostic,
            remoteMTA: group.header("remote-mta").map(removingType).map(oneLine),
            willRetryUntil: group.header("will-retry-until").flatMap(RFC5322DateParsing.date))
    }

    /// A typed field value (`rfc822; a@b`, `smtp; 550 …`, `dns; mx.example`) without its type.
    static func removingType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";"),
            value[..<semicolon].trimmingEnds(of: " \t").allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
        else { return value.trimmingEnds(of: " \t") }
        return value[value.index(after: semicolon)...].trimmingEnds(of: " \t")
    }

    /// Text on one line: control characters dropped, runs of white space made one space.
    static func oneLine(_ text: String) -> String {
        var result = ""
        var space = false
        for scalar in text.unicodeScalars.prefix(4096) {
            if scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" {
                space = !result.isEmpty
                continue
            }
            guard scalar.value >= 0x20, scalar.value != 0x7F, !(0x80..<0xA0).contains(scalar.value) else { continue }
            if space { result.append(" ") }
            space = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// The addresses in an address-list field: what is inside `<…>`, or the bare words with an `@`.
    static func addresses(in field: String) -> [String] {
        var found: [String] = []
        for item in field.prefix(2000).split(separator: ",") {
            if let open = item.firstIndex(of: "<"), let close = item[open...].firstIndex(of: ">") {
                found.append(String(item[item.index(after: open)..<close]).trimmingEnds(of: " \t"))
            } else {
                found += item.split(whereSeparator: { $0 == " " || $0 == "\t" }).filter { $0.contains("@") }
                    .map { $0.trimmingEnds(of: "\"'();:") }
            }
        }
        return found.filter { $0.contains("@") && $0.utf8.count <= 320 }
    }

    /// The Message-ID in a field value, without angle brackets.
    static func messageID(in field: String) -> String? {
        let value = field.trimmingEnds(of: " \t")
        if let open = value.firstIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            let inside = String(value[value.index(after: open)..<close])
            return inside.isEmpty ? nil : String(inside.prefix(998))
        }
        return value.isEmpty || value.contains(" ") ? nil : String(value.prefix(998))
    }
}
