/// The files of a store directory as one byte string: the fuzzer's input format for the store.
///
/// Layout: entries one after another, each a name length (1 byte), the name (ASCII), the content's
/// length (4 bytes, little-endian) and the content. Every byte string decodes to *some* image
/// (lengths are clipped to what is there), so no input is wasted; a name that is not a plain file
/// name (empty, `.`, `..`, or containing `/` or NUL) is dropped.
package struct DirectoryImage: Equatable {
    package var files: [(name: String, content: [UInt8])]

    package init(files: [(name: String, content: [UInt8])]) {
        self.files = files
    }

    /// Decodes an image; never fails.
    package init(decoding bytes: UnsafeRawBufferPointer) {
        var files: [(name: String, content: [UInt8])] = []
        var offset = 0
        func take(_ count: Int) -> UnsafeRawBufferPointer {
            let end = min(bytes.count, offset + count)
            defer { offset = end }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
        }
        while offset < bytes.count {
            let nameLength = Int(take(1).first ?? 0)
            let name = String(decoding: take(nameLength), as: UTF8.self)
            let lengthBytes = take(4)
            var length = 0
            for (shift, byte) in lengthBytes.enumerated() { length |= Int(byte) << (8 * shift) }
            let content = Array(take(length))
            if Self.isPlainFileName(name) { files.append((name, content)) }
        }
        self.files = files
    }

    /// The encoded image.
    package var encoded: [UInt8] {
        var bytes: [UInt8] = []
        for file in files {
            let name = Array(file.name.utf8.prefix(255))
            bytes.append(UInt8(name.count))
            bytes += name
            let length = UInt32(truncatingIfNeeded: file.content.count)
            for shift in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * shift))) }
            bytes += file.content
        }
        return bytes
    }

    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.utf8.contains(0)
    }

    package static func == (lhs: DirectoryImage, rhs: DirectoryImage) -> Bool {
        lhs.files.map(\.name) == rhs.files.map(\.name) && lhs.files.map(\.content) == rhs.files.map(\.content)
    }
}
