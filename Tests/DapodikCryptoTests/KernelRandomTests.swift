import DapodikTestSupport
import Testing

@testable import DapodikCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The kernel request behind every random byte of the package (issue 15): one `getrandom(2)` a
/// request, carried on after short reads and `EINTR`, failures reported, nothing buffered.
@Suite("Random bytes from the kernel, one request each")
struct KernelRandomTests {
    /// A stand-in for `getrandom(2)` that plays a script: each call writes at most the next count of
    /// bytes from a seeded stream, or returns the next negated errno; it records every call.
    final class ScriptedSystemCall {
        enum Step {
            case write(atMost: Int)
            case fail(Int32)
        }

        var steps: [Step]
        var calls: [(count: Int, flags: UInt32)] = []
        var written: [UInt8] = []
        private var stream = SeededGenerator(seed: 9562)

        init(_ steps: [Step]) { self.steps = steps }

        func call(_ buffer: UnsafeMutableRawBufferPointer, flags: UInt32) -> Int {
            calls.append((buffer.count, flags))
            let step = steps.isEmpty ? .write(atMost: .max) : steps.removeFirst()
            switch step {
            case .fail(let error): return -Int(error)
            case .write(let limit):
                let count = min(limit, buffer.count)
                let bytes = stream.bytes(count)
                for index in 0..<count { buffer[index] = bytes[index] }
                written += bytes
                return count
            }
        }
    }

    @Test("a request the kernel fills whole is one call, with no flags (the urandom source, waiting until seeded)")
    func oneCall() {
        let script = ScriptedSystemCall([])
        var buffer = [UInt8](repeating: 0, count: 16)
        let error = buffer.withUnsafeMutableBytes { KernelRandom.fill($0, calling: script.call) }
        #expect(error == nil)
        #expect(script.calls.count == 1)
        #expect(script.calls.first?.count == 16)
        #expect(script.calls.first?.flags == 0)
        #expect(buffer == script.written)
    }

    @Test("short reads are continued where they stopped until the buffer is full", arguments: [1, 5, 7, 16])
    func shortReads(chunk: Int) {
        let script = ScriptedSystemCall(Array(repeating: .write(atMost: chunk), count: 64))
        var buffer = [UInt8](repeating: 0, count: 37)
        let error = buffer.withUnsafeMutableBytes { KernelRandom.fill($0, calling: script.call) }
        #expect(error == nil)
        #expect(script.calls.count == (37 + chunk - 1) / chunk)
        #expect(script.calls.map(\.count) == stride(from: 37, to: 0, by: -chunk).map { $0 })
        #expect(buffer == script.written)
    }

    @Test("an interrupted call (EINTR) is made again; other failures are returned, not retried")
    func interruptionsAndFailures() {
        let interrupted = ScriptedSystemCall([.fail(EINTR), .fail(EINTR), .write(atMost: 3)])
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(buffer.withUnsafeMutableBytes { KernelRandom.fill($0, calling: interrupted.call) } == nil)
        #expect(interrupted.calls.map(\.count) == [8, 8, 8, 5])
        #expect(buffer == interrupted.written)

        for error in [ENOSYS, EFAULT, EINVAL, EAGAIN] {
            let failing = ScriptedSystemCall([.write(atMost: 2), .fail(error), .write(atMost: .max)])
            #expect(buffer.withUnsafeMutableBytes { KernelRandom.fill($0, calling: failing.call) } == error)
            #expect(failing.calls.count == 2)
        }
    }

    @Test("a call that writes nothing, or claims more than it was given, is a failure (EIO), not a loop")
    func impossibleAnswers() {
        var buffer = [UInt8](repeating: 0, count: 8)
        for answer in [0, 9, .max] {
            var calls = 0
            let error = buffer.withUnsafeMutableBytes { target in
                KernelRandom.fill(target) { _, _ in
                    calls += 1
                    return answer
                }
            }
            #expect(error == EIO)
            #expect(calls == 1)
        }
    }

    @Test("an empty buffer makes no call")
    func emptyBuffer() {
        let script = ScriptedSystemCall([])
        var buffer: [UInt8] = []
        #expect(buffer.withUnsafeMutableBytes { KernelRandom.fill($0, calling: script.call) } == nil)
        #expect(script.calls.isEmpty)
    }

    #if os(Linux)
        @Test("the real getrandom(2) fills 16 and 256 bytes in one call each, never the same bytes twice")
        func realSystemCall() {
            for count in [16, 256] {
                var calls = 0
                func draw() -> [UInt8] {
                    var bytes = [UInt8](repeating: 0, count: count)
                    let error = bytes.withUnsafeMutableBytes { target in
                        KernelRandom.fill(target) { buffer, flags in
                            calls += 1
                            return KernelRandom.getrandom(buffer, flags: flags)
                        }
                    }
                    #expect(error == nil)
                    return bytes
                }
                let first = draw()
                let second = draw()
                #expect(calls == 2)
                #expect(first != second)
                #expect(first.contains { $0 != 0 })
            }
        }

        @Test("the real getrandom(2) reports a bad buffer as its errno (EFAULT), which the generator would stop on")
        func realFailure() {
            // An address the process does not map: the kernel refuses to write there.
            let unmapped = UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: 8), count: 16)
            #expect(KernelRandom.fill(unmapped, calling: KernelRandom.getrandom) == EFAULT)
        }
    #endif

    @Test("the generator's bulk fill and its 64-bit draws are fresh on every request")
    func generator() {
        var generator = SecureRandomGenerator()
        var seen: Set<[UInt8]> = []
        for count in [1, 7, 8, 9, 16, 33, 300] {
            var bytes = [UInt8](repeating: 0, count: count)
            bytes.withUnsafeMutableBytes { generator.fill($0) }
            if count >= 16 { #expect(seen.insert(bytes).inserted) }
        }
        generator.fill(UnsafeMutableRawBufferPointer(start: nil, count: 0))
        #expect(generator.next() != generator.next())
        #expect(Crypto.randomBytes(0).isEmpty)
        #expect(Crypto.randomBytes(33).count == 33)
    }
}
