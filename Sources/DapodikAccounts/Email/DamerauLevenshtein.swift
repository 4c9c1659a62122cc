/// The Damerau–Levenshtein distance between two strings of bytes: the fewest insertions,
/// deletions, substitutions and transpositions of two adjacent characters that turn one into the
/// other (the unrestricted distance of Lowrance and Wagner, 1975, in which a transposed pair may
/// be edited further; `ca` → `abc` is 2).
///
/// - Returns: The distance, or `nil` as soon as it is certain to exceed `limit`.
func damerauLevenshteinDistance(_ source: [UInt8], _ target: [UInt8], limit: Int) -> Int? {
    guard abs(source.count - target.count) <= limit else { return nil }
    let maximum = source.count + target.count
    let width = target.count + 2
    var table = [Int](repeating: 0, count: (source.count + 2) * width)
    table[0] = maximum
    for row in 0...source.count {
        table[(row + 1) * width] = maximum
        table[(row + 1) * width + 1] = row
    }
    for column in 0...target.count {
        table[column + 1] = maximum
        table[width + column + 1] = column
    }
    var lastRowOfByte = [UInt8: Int]()
    for row in 1..<source.count + 1 {
        var lastMatchingColumn = 0
        for column in 1..<target.count + 1 {
            let earlierRow = lastRowOfByte[target[column - 1]] ?? 0
            let earlierColumn = lastMatchingColumn
            let cost: Int
            if source[row - 1] == target[column - 1] {
                cost = 0
                lastMatchingColumn = column
            } else {
                cost = 1
            }
            table[(row + 1) * width + column + 1] = min(
                table[row * width + column] + cost,
                table[(row + 1) * width + column] + 1,
                table[row * width + column + 1] + 1,
                table[earlierRow * width + earlierColumn] + (row - earlierRow - 1) + 1 + (column - earlierColumn - 1))
        }
        lastRowOfByte[source[row - 1]] = row
    }
    let distance = table[(source.count + 1) * width + target.count + 1]
    return distance <= limit ? distance : nil
}
