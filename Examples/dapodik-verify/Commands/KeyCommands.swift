import DapodikVerification
import Foundation

/// `key rotate|list`: the secret keys of the data directory.
enum KeyCommands {
    /// The JSON form of one key generation: never its material.
    struct KeyJSON: Encodable {
        let id: String
        let createdAt: Date
        let current: Bool
    }

    static func describe(_ keys: SecretKeys, _ invocation: Invocation) throws {
        let console = invocation.console
        let current = keys.generations.last!.id
        if invocation.globals.json {
            try console.printJSON(
                keys.generations.map { KeyJSON(id: $0.id, createdAt: $0.createdAt, current: $0.id == current) })
            return
        }
        for generation in keys.generations {
            let marker = generation.id == current ? console.pick(" (aktif)", " (current)") : ""
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
        } else {
            keys.generations.append(SecretKeys.newGeneration(id: keys.nextID, now: Date()))
        }
        try keys.save(to: data.secretKeys)
        try describe(keys, invocation)
        return .success
    }
}
