internal import CLibFuzzer
public import Foundation

/// The `main` every fuzz target shares: with `DAPODIK_FUZZ_WRITE_SEEDS=<directory>` in the
/// environment, writes the target's seed corpus there (`.ci/fuzz --write-seeds`); otherwise hands
/// the command line to libFuzzer, which calls `testOneInput` with every input.
///
/// Each target still defines its own `<target>_main` symbol (SwiftPM links an executable's `main` to
/// it when built with `-parse-as-library`, see `.ci/fuzz`) and calls this from it.
/// - Parameters:
///   - argc: The argument count the program was started with.
///   - argv: The arguments.
///   - writeSeeds: Writes the seed corpus into the directory it is given.
///   - testOneInput: Runs one input; returns 0.
/// - Returns: The exit status.
public func runFuzzTarget(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    writingSeeds writeSeeds: (URL) throws -> Void,
    testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32 {
    if let directory = ProcessInfo.processInfo.environment["DAPODIK_FUZZ_WRITE_SEEDS"] {
        do {
            try writeSeeds(URL(fileURLWithPath: directory, isDirectory: true))
            return 0
        } catch {
            fatalError("writing the seed corpus failed: \(error)")
        }
    }
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
}
