#ifndef DAPODIK_CLIBFUZZER_H
#define DAPODIK_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's own mutator, for use inside a custom mutator (provided by the libFuzzer runtime that
/// `-sanitize=fuzzer` links in). See https://llvm.org/docs/LibFuzzer.html#mutators.
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

/// Runs libFuzzer with the command line `argc`/`argv` on `test`: the `main` of a fuzz target that
/// has its own `main` (a SwiftPM executable always has), as LLVM's LibFuzzer.rst describes.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *data, size_t size));

#endif
