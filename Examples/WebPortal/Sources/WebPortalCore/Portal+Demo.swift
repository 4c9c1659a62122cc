import DapodikVerification
import Foundation
import HTTPTypes
import Hummingbird

// Demo mode only: the Maildir the portal delivers into, so a visitor can read the code that the
// demo's people "received". It does not exist outside demo mode (the route is not added).
extension Portal {
    func addDemoRoutes(to router: Router<BasicRequestContext>) {
        router.get("/demo/kotak-surat") { request, _ in
            let visit = await visit(request)
            let messages = demoMessages(limit: 20)
            let articles = messages.map { message -> HTML in
                let to = message.header("To") ?? ""
                return """
                    <article class="mail" data-to="\(Self.bareAddress(to))">
                    <dl>
                    <dt>\(visit.text("Tanggal", "Date"))</dt><dd>\(message.header("Date") ?? "")</dd>
                    <dt>\(visit.text("Kepada", "To"))</dt><dd>\(to)</dd>
                    <dt>\(visit.text("Perihal", "Subject"))</dt><dd>\(message.header("Subject") ?? "")</dd>
                    </dl>
                    <pre>\(message.plainText ?? "")</pre>
                    </article>
                    """
            }
            return page(
                visit, title: visit.text("Kotak surat demo", "Demo mailbox"),
                body: """
                    <p class="notice">\(visit.text(
                        "Mode demo: email tidak dikirim ke luar, tetapi disimpan di Maildir ini. Yang terbaru di atas.",
                        "Demo mode: no e-mail leaves this machine; it is kept in this Maildir. Newest first."))</p>
                    <p><a class="button secondary" href="/demo/kotak-surat">\(visit.text("Perbarui", "Refresh"))</a></p>
                    \(articles.isEmpty ? "<p>\(visit.text("Kotak surat kosong.", "The mailbox is empty."))</p>" : HTML(joining: articles))
                    """)
        }
    }

    /// The newest messages of the demo's Maildir (`new/` and `cur/`), newest first.
    func demoMessages(limit: Int) -> [ReceivedMessage] {
        guard let maildir = configuration.demoMaildir else { return [] }
        let fileManager = FileManager.default
        var files: [(url: URL, modified: Date, name: String)] = []
        for folder in ["new", "cur"] {
            let directory = maildir.appendingPathComponent(folder, isDirectory: true)
            for name in (try? fileManager.contentsOfDirectory(atPath: directory.path)) ?? [] where !name.hasPrefix(".")
            {
                let url = directory.appendingPathComponent(name)
                let modified = (try? fileManager.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date
                files.append((url, modified ?? .distantPast, name))
            }
        }
        // Maildir names begin with the delivery's seconds and microseconds: a tie-break in order.
        files.sort { ($0.modified, $0.name) > ($1.modified, $1.name) }
        return files.prefix(limit).compactMap { file in
            fileManager.contents(atPath: file.url.path).map { ReceivedMessage(bytes: Array($0)) }
        }
    }

    /// The bare address in a To header: the part inside `<…>`, lower-cased.
    static func bareAddress(_ header: String) -> String {
        if let open = header.lastIndex(of: "<"), let close = header.lastIndex(of: ">"), open < close {
            return header[header.index(after: open)..<close].lowercased()
        }
        return header.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
