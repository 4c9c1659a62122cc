import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The window through which compaction reads a snapshot's and a log's values (issue 15): every value
/// comes back checked, in any order, and the file is read about once however the values are visited.
@Suite("SequentialReader")
struct SequentialReaderTests {
    /// A file of values of the given sizes, back to back, each filled with its own byte pattern.
    struct ValueFile {
        let scratch: TemporaryDirectory
        let path: String
        let locations: [ValueLocation]
        let values: [[UInt8]]
        let size: UInt64

        init(sizes: [Int]) throws {
            scratch = try TemporaryDirectory("storage")
            path = scratch.store.path + ".values"
            var bytes: [UInt8] = []
            var locations: [ValueLocation] = []
            var values: [[UInt8]] = []
            for (index, size) in sizes.enumerated() {
                let value = [UInt8](repeating: UInt8(truncatingIfNeeded: index &* 7 &+ 1), count: size)
                locations.append(
                    ValueLocation(
                        inSnapshot: false, offset: UInt64(bytes.count), length: UInt32(size),
                        checksum: CRC32C.checksum(value)))
                values.append(value)
                bytes += value
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            self.locations = locations
            self.values = values
            size = UInt64(bytes.count)
        }

        /// Reads the values in `order` through one reader; returns the bytes it read from the file.
        func readAll(in order: [Int]) throws -> UInt64 {
            let fd = open(path, O_RDONLY)
            #expect(fd >= 0)
            defer { close(fd) }
            var reader = SequentialReader(fd: fd, path: path)
            for index in order {
                #expect(Array(try reader.read(locations[index])) == values[index], "value \(index)")
            }
            return reader.bytesRead
        }
    }

    @Test("values visited in file order are read in windows: each byte about once")
    func fileOrder() throws {
        let file = try ValueFile(sizes: (0..<3_000).map { 1_000 + $0 % 7 * 500 })
        let read = try file.readAll(in: Array(file.locations.indices))
        #expect(read >= file.size)
        #expect(read <= file.size + 4_000 * 3, "\(read) bytes read for a file of \(file.size)")
    }

    @Test("values visited backwards, across windows, each cost their own length once, not a window each")
    func backwards() throws {
        // 20 values of 1 MiB: 20 MiB, more than two windows.
        let file = try ValueFile(sizes: Array(repeating: 1 << 20, count: 20))
        let read = try file.readAll(in: Array(file.locations.indices.reversed()))
        // The first (the file's last value) opens a window to the end; each other is read by itself.
        #expect(read == file.size, "\(read) bytes read for a file of \(file.size)")
    }

    @Test("values visited in a seeded random order all come back right, and the file is read at most about twice")
    func randomOrder() throws {
        var generator = SeededGenerator(seed: 15)
        let file = try ValueFile(sizes: (0..<4_000).map { _ in Int.random(in: 1...6_000, using: &generator) })
        let order = Array(file.locations.indices).shuffled(using: &generator)
        let read = try file.readAll(in: order)
        #expect(read <= 2 * file.size + UInt64(SequentialReader.windowBytes), "\(read) for \(file.size)")
    }

    @Test("a value that fails its checksum, inside the window or read by itself, or lies past the end, is corrupted")
    func damagedValues() throws {
        let file = try ValueFile(sizes: [100, 200, 300])
        let fd = open(file.path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        var reader = SequentialReader(fd: fd, path: file.path)
        var wrong = file.locations[2]
        wrong.checksum ^= 1
        #expect(throws: StoreError.self) { _ = try reader.read(wrong) }
        // Behind the furthest value read: read by itself, and checked the same way.
        var behind = file.locations[0]
        behind.checksum ^= 1
        let damaged = #expect(throws: StoreError.self) { _ = try reader.read(behind) }
        #expect(damaged?.code == .corrupted)
        var reader2 = SequentialReader(fd: fd, path: file.path)
        let past = ValueLocation(inSnapshot: false, offset: file.size - 10, length: 20, checksum: 0)
        let beyond = #expect(throws: StoreError.self) { _ = try reader2.read(past) }
        #expect(beyond?.code == .corrupted)
        #expect(Array(try reader2.read(file.locations[1])) == file.values[1])
    }
}
