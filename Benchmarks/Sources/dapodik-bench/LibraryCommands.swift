/// The scenarios that measure the library itself (filled in as its modules land).
func runLibraryCommand(_ arguments: Arguments, round: Int) async throws {
    throw UsageError("unknown command \(arguments.command)")
}
