// Reduction of a Swift 6.3 (Linux x86-64) toolchain bug: `swiftc -sanitize=thread` (debug) crashes
// at run time with "ThreadSanitizer: SEGV ... __tsan::MemoryAccess" (called from ExternalAccess)
// in `outer`.
//
// `Empty` has no storage, so `run` passes `&local` to the generic `outer` as LLVM `ptr undef`
// (whatever the register holds). `outer` then reports its nested `inout` access to that address
// with `__tsan_external_write`, and TSan writes the shadow memory of a garbage address.
// In the package this was `randomHex(byteCount:using:)` called with a `SystemRandomNumberGenerator`
// (an empty struct); the workaround is `SecureRandomGenerator` in Sources/DapodikCrypto.
//
// .ci/tsan compiles and runs this file: "survived" means the toolchain is fixed and the workaround
// may go.
struct Empty {}

@inline(never) func inner<T>(_ value: inout T) {}

@inline(never) func outer<T>(_ count: Int, _ value: inout T) {
    for _ in 0..<count { inner(&value) }
}

@inline(never) func run() {
    var local = Empty()
    outer(4, &local)
}

run()
print("survived")
