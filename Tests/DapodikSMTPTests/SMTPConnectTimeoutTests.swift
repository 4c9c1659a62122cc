#if SMTP
    import DapodikMail
    import DapodikSMTP
    import Testing

    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    /// The connect time limit, measured on the clock the test controls.
    struct SMTPConnectTimeoutTests {
        @Test(
            "a server whose queue is full never completes the connection: the connect limit fires on the test's clock",
            .timeLimit(.minutes(10)))
        func connectTimesOut() async throws {
            let listener = try FullListener()
            defer { listener.stop() }
            let clock = ManualClock()
            let transport = SMTPTransport(
                configuration: SMTPConfiguration(
                    host: "127.0.0.1", port: listener.port, security: .plaintextOnLoopback,
                    timeouts: SMTPTimeouts(connect: .seconds(30))),
                clock: clock, now: { Samples.now })
            let sending = Task { await Samples.sendFailing(transport) }
            await clock.waitForSleeper(lasting: .seconds(30))
            clock.advance(by: .seconds(30))
            let error = try #require(await sending.value)
            #expect(error.code == .timedOut, "\(error.detail)")
            #expect(error.disposition == .transient)
            #expect(error.detail.contains("connect"))
        }
    }

    /// A TCP listener on 127.0.0.1 with a backlog of 0 and one connection waiting unaccepted: its
    /// queue is full, so Linux drops every further SYN and a client's connect never completes.
    final class FullListener {
        let port: Int
        private let listening: Int32
        private let waiting: Int32

        init() throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    bind(listener, generic, length) == 0 && listen(listener, 0) == 0
                        && getsockname(listener, generic, &length) == 0
                }
            }
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    connect(client, generic, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            listening = listener
            waiting = client
            port = Int(UInt16(bigEndian: address.sin_port))
            guard bound && connected else {
                stop()
                throw ListenerFailure()
            }
        }

        func stop() {
            close(waiting)
            close(listening)
        }

        struct ListenerFailure: Error {}
    }
#endif
