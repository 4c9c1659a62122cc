import StoreFuzzing

// The fuzz target of the store's log reader: libFuzzer mutates only the log file of each store
// image (the work is in StoreFuzzing).

/// The program's entry point. SwiftPM links an executable's `main` to `<target>_main`; built with
/// `-parse-as-library` (see `.ci/fuzz`), the target defines that symbol itself and hands the
/// command line to libFuzzer.
@_cdecl("FuzzStoreLog_main")
public func fuzzTargetMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    StoreFuzzing.main(argc, argv)
}

/// libFuzzer calls this with every input; it returns 0. (Required by the link: libFuzzer's own
/// `main` refers to it, although ``fuzzTargetMain(_:_:)`` is the one that runs.)
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    StoreFuzzing.run(data, size)
}

/// libFuzzer calls this to make the next input from `data`; it returns the new size.
@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    StoreFuzzing.mutate(data, size: size, maxSize: maxSize, file: .log)
}
