import Foundation

/// The command line of `dapodik-portal`.
struct PortalOptions {
    var dataDirectory = ProcessInfo.processInfo.environment["DAPODIK_PORTAL_DATA"] ?? "portal-data"
    var host = "127.0.0.1"
    var port = 8080
    var demo = false
    var secureCookies = false
    var smtpURL: String?
    var storeURL: String?

    /// Reads the options; an unknown option or a missing value stops the program with a message.
    init(arguments: [String]) {
        var remaining = arguments[...]
        while let option = remaining.popFirst() {
            switch option {
            case "--demo": demo = true
            case "--secure-cookies": secureCookies = true
            case "--data": dataDirectory = Self.value(of: option, from: &remaining)
            case "--host": host = Self.value(of: option, from: &remaining)
            case "--smtp": smtpURL = Self.value(of: option, from: &remaining)
            case "--store": storeURL = Self.value(of: option, from: &remaining)
            case "--port":
                guard let port = Int(Self.value(of: option, from: &remaining)), (1...65_535).contains(port) else {
                    Self.fail("--port: bukan nomor port / not a port number")
                }
                self.port = port
            default: Self.fail("Opsi tidak dikenal / unknown option: \(option)")
            }
        }
    }

    private static func value(of option: String, from remaining: inout ArraySlice<String>) -> String {
        guard let value = remaining.popFirst() else { fail("\(option): nilai tidak ada / value missing") }
        return value
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(64)
    }
}
