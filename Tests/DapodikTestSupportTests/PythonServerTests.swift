import DapodikTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite(.requires(.python3), .timeLimit(.minutes(10)))
struct PythonServerTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Python/echo_server.py")

    @Test("the server is reachable on 127.0.0.1 at the port of its ready line, and gone after stop()")
    func startAndStop() throws {
        let server = try PythonServer(script: Self.script, arguments: [])
        #expect(try Self.echo("halo\n", port: server.port) == "halo\n")
        server.stop()
        #expect(throws: (any Error).self) { try Self.echo("halo\n", port: server.port) }
        server.stop()  // a second stop does nothing
    }

    @Test("a server that does not say it is ready is reported with what it said")
    func startFailure() {
        let error = #expect(throws: PythonServer.StartFailed.self) {
            try PythonServer(script: Self.script, arguments: ["--fail"])
        }
        #expect(error?.description.contains("\"not ready\"") == true)
    }

    struct ConnectionFailed: Error {}

    /// Sends `line` to 127.0.0.1:`port` and returns the answer.
    static func echo(_ line: String, port: Int) throws -> String {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(PythonServer.host)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw ConnectionFailed() }
        _ = line.withCString { send(socketDescriptor, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(socketDescriptor, &buffer, buffer.count, 0)
        return String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
    }
}
