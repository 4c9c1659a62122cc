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
        if keys.format < SecretKeys.currentFormat {
            // On standard error, so `--json` output stays one document.
            console.warn(
                console.pick(
                    "Catatan: berkas kunci berformat lama (\(keys.format)); kunci segel terpisah di dalamnya tidak "
                        + "dipakai lagi dan dibuang pada 'key rotate' berikutnya.",
                    "Note: the key file has the old format (\(keys.format)); the separate seal keys in it are no "
                        + "longer used and are dropped by the next 'key rotate'."))
        }
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
        try data.prepare()
        try describe(try SecretKeys.load(from: data.secretKeys), invocation)
        return .success
    }

    static let rotate: Command.Action = { invocation in
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        try data.prepare()
        guard FileManager.default.fileExists(atPath: data.secretKeys.path) else {
            // A deliberate new start: the first generation of a directory whose key file was lost.
            let keys = try SecretKeys.loadOrCreate(at: data.secretKeys, create: true)
            try describe(keys, invocation)
            return .success
        }
        var keys = try SecretKeys.load(from: data.secretKeys)
        keys.format = SecretKeys.currentFormat  // what any write below leaves: only code keys
        if let retire = invocation.arguments.value("retire") {
            guard keys.generations.contains(where: { $0.id == retire }) else {
                throw CLIError(
                    .notFound, status: .refused, indonesian: "Tidak ada kunci \(retire).",
                    english: "There is no key \(retire).")
            }
            guard retire != keys.generations.last!.id else {
                throw CLIError(
                    .notFound, status: .refused,
                    indonesian: "Kunci \(retire) sedang aktif; putar kunci dulu, lalu pensiunkan setelah 24 jam.",
                    english: "Key \(retire) is current; rotate first, then retire it after 24 hours.")
            }
            // Codes issued under a generation live at most 24 hours after the next one took over
            // (design: code lifetime ≤ 24 h after issue); retiring earlier would break them.
            let index = keys.generations.firstIndex { $0.id == retire }!
            let safeFrom = keys.generations[index + 1].createdAt.addingTimeInterval(24 * 3600)
            guard Date() >= safeFrom else {
                throw CLIError(
                    .notFound, status: .refused,
                    indonesian: "Kode yang dikirim dengan kunci \(retire) mungkin masih berlaku; pensiunkan mulai "
                        + "\(safeFrom.formatted(.iso8601)).",
                    english: "Codes sent under key \(retire) may still be valid; retire it from "
                        + "\(safeFrom.formatted(.iso8601)).")
            }
            keys.generations.remove(at: index)
            try keys.save(to: data.secretKeys)
            try describe(keys, invocation)
            if !invocation.globals.json {
                invocation.console.say(
                    "Kunci \(retire) dipensiunkan dan dihapus dari berkas kunci.",
                    "Key \(retire) is retired and removed from the key file.")
            }
            return .success
        }
        let previous = keys.generations.last!
        let now = Date()
        keys.generations.append(SecretKeys.newGeneration(id: keys.nextID, now: now))
        try keys.save(to: data.secretKeys)
        try describe(keys, invocation)
        if !invocation.globals.json {
            let current = keys.generations.last!.id
            let retireFrom = now.addingTimeInterval(24 * 3600).formatted(.iso8601)
            invocation.console.say(
                "Kunci \(current) kini membuat dan menyegel kode baru; \(previous.id) tetap memeriksa kode yang sudah "
                    + "dikirim. Pensiunkan \(previous.id) mulai \(retireFrom): dapodik-verify key rotate --retire "
                    + "\(previous.id)",
                "Key \(current) now makes and seals new codes; \(previous.id) still checks codes already sent. "
                    + "Retire \(previous.id) from \(retireFrom): dapodik-verify key rotate --retire \(previous.id)")
        }
        return .success
    }
}
