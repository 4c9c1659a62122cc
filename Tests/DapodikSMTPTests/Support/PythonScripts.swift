#if SMTP
    import DapodikTestSupport
    import Foundation

    /// The Python test servers and helpers of this target's Python/ folder.
    enum PythonScripts {
        static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Python")

        /// Starts the server `script` with `arguments` (on 127.0.0.1, until stopped).
        static func start(_ script: String, _ arguments: [String]) throws -> PythonServer {
            try PythonServer(script: directory.appendingPathComponent(script), arguments: arguments)
        }

        /// Runs the helper `script` with `arguments` to completion.
        static func run(_ script: String, _ arguments: [String]) throws {
            try PythonServer.run(script: directory.appendingPathComponent(script), arguments: arguments)
        }
    }
#endif
