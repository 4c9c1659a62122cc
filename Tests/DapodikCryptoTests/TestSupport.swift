/// Lower-case hexadecimal of `bytes`.
func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var result: [UInt8] = []
    for byte in bytes {
        result.append(digits[Int(byte >> 4)])
        result.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: result, as: UTF8.self)
}

/// The bytes a hexadecimal string stands for (spaces ignored, as the RFCs print them).
func bytes(hex string: String) -> [UInt8] {
    let nibbles = string.utf8.filter { $0 != UInt8(ascii: " ") }.map { character -> UInt8 in
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: preconditionFailure("not hexadecimal: \(string)")
        }
    }
    precondition(nibbles.count.isMultiple(of: 2), "odd number of hex digits: \(string)")
    return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
}
