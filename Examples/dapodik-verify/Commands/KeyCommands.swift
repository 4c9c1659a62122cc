import DapodikVerification
import Foundation

/// `key rotate|list`: the code keys of the data directory, its one secret (the outbox seal key is
/// derived from them).
enum KeyCommands {
    /// The JSON form of one key generation: never its material.
    struct KeyJSON: Encodable {
        let id: String
        let createdAt: Date
        let current: Bool
    }

    /// Prints the generations, oldest first, marking the current one; JSON with `--json`.
    static func describe(_ keys: SecretKeys, _ invocation: Invocation) throws {
        let console = invocation.console
        let current = keys.generations.last!.id
        if invocation.globals.json {
            try console.printJSON(
                keys.generations.map { KeyJSON(id: $0.id, createdAt: $0.createdAt, current: $0.id == current) })
            return
        }
        for generation in keys.generations {
            let marker =
                generation.id == current
                ? console.pick(" (aktif: membuat dan menyegel kode baru)", " (current: makes and seals new codes)")
                : ""
            console.line("\(generation.id)\t\(generation.createdAt.formatted(.iso8601))\(marker)")
        }
    }

    static let list: Command.Action = { invocation in
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        try data.requireExisting()
        try describe(try SecretKeys.load(from: data.secretKeys), invocation)
        return .success
    }

    static let rotate: Command.Action = { invocation in
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        try data.requireExisting()
        let retire = invocation.arguments.value("retire")
        // A new key gets an id the store has never seen, so its check value can be recorded.
        let store = try FileRecordStore(directory: data.store)
        let unusedID = try await KeyCheck.firstUnusedID(in: store)
        store.close()
        let now = Date()
        var previousID: String?
        // Read, change and write under the key file's lock: two rotations never diverge.
        let keys = try SecretKeys.update(at: data.secretKeys) { existing throws(CLIError) in
            guard var keys = existing else {
                // A deliberate new start: the first generation of a directory whose key file was lost.
                return SecretKeys(generations: [SecretKeys.newGeneration(id: unusedID, now: now)])
            }
            if let retire {
                try retiring(retire, from: &keys, at: now)
                return keys
            }
            previousID = keys.generations.last!.id
            let number = max(Int(keys.nextID.dropFirst()) ?? 1, Int(unusedID.dropFirst()) ?? 1)
            keys.generations.append(SecretKeys.newGeneration(id: "k\(number)", now: now))
            return keys
        }
        try describe(keys, invocation)
        guard !invocation.globals.json else { return .success }
        if let retire {
            invocation.console.say(
                "Kunci \(retire) dipensiunkan dan dihapus dari berkas kunci.",
                "Key \(retire) is retired and removed from the key file.")
        } else if let previous = previousID {
            let current = keys.generations.last!.id
            let retireFrom = now.addingTimeInterval(24 * 3600).formatted(.iso8601)
            invocation.console.say(
                "Kunci \(current) kini membuat dan menyegel kode baru; \(previous) tetap memeriksa kode yang sudah "
                    + "dikirim. Pensiunkan \(previous) mulai \(retireFrom): dapodik-verify key rotate --retire "
                    + "\(previous)",
                "Key \(current) now makes and seals new codes; \(previous) still checks codes already sent. "
                    + "Retire \(previous) from \(retireFrom): dapodik-verify key rotate --retire \(previous)")
        }
        return .success
    }

    /// Removes generation `retire`, refusing the current one and one whose codes may still be valid.
    static func retiring(_ retire: String, from keys: inout SecretKeys, at now: Date) throws(CLIError) {
        guard let index = keys.generations.firstIndex(where: { $0.id == retire }) else {
            throw CLIError(
                .notFound, status: .refused, indonesian: "Tidak ada kunci \(retire).",
                english: "There is no key \(retire).")
        }
        guard index != keys.generations.count - 1 else {
            throw CLIError(
                .notFound, status: .refused,
                indonesian: "Kunci \(retire) sedang aktif; putar kunci dulu, lalu pensiunkan setelah 24 jam.",
                english: "Key \(retire) is current; rotate first, then retire it after 24 hours.")
        }
        // Codes issued under a generation live at most 24 hours after the next one took over
        // (design: code lifetime ≤ 24 h after issue); retiring earlier would break them.
        let safeFrom = keys.generations[index + 1].createdAt.addingTimeInterval(24 * 3600)
        guard now >= safeFrom else {
            throw CLIError(
                .notFound, status: .temporaryFailure,
                indonesian: "Kode yang dikirim dengan kunci \(retire) mungkin masih berlaku; pensiunkan mulai "
                    + "\(safeFrom.formatted(.iso8601)).",
                english: "Codes sent under key \(retire) may still be valid; retire it from "
                    + "\(safeFrom.formatted(.iso8601)).")
        }
        keys.generations.remove(at: index)
    }
}
