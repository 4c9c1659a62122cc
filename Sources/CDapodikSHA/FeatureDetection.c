// Run-time detection of the CPU's SHA-256 and CRC-32C instructions.

#include "CDapodikSHA.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>

static bool cpu_has_sha256(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    const bool ssse3 = (ecx & (1u << 9)) != 0;    // CPUID.01H:ECX.SSSE3[bit 9]
    const bool sse41 = (ecx & (1u << 19)) != 0;   // CPUID.01H:ECX.SSE4_1[bit 19]
    if (__get_cpuid_max(0, NULL) < 7) return false;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const bool sha = (ebx & (1u << 29)) != 0;     // CPUID.(EAX=07H,ECX=0):EBX.SHA[bit 29]
    return sha && ssse3 && sse41;
}

static bool cpu_has_crc32c(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    return (ecx & (1u << 20)) != 0;  // CPUID.01H:ECX.SSE4_2[bit 20]: the CRC32 instruction
}

#elif defined(__aarch64__) && defined(__APPLE__)

// Every 64-bit Apple processor implements the ARMv8 cryptographic extension.
static bool cpu_has_sha256(void) { return true; }

// And the ARMv8.1 CRC32 instructions (mandatory from ARMv8.1; every Apple processor has them).
static bool cpu_has_crc32c(void) { return true; }

#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_SHA2
#define HWCAP_SHA2 (1 << 6)  // arch/arm64/include/uapi/asm/hwcap.h
#endif

#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)  // arch/arm64/include/uapi/asm/hwcap.h
#endif

static bool cpu_has_sha256(void) { return (getauxval(AT_HWCAP) & HWCAP_SHA2) != 0; }

static bool cpu_has_crc32c(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0; }

#else

// Another architecture or operating system: DapodikCrypto keeps its pure-Swift SHA-256, and
// DapodikStorage its pure-Swift CRC-32C.
static bool cpu_has_sha256(void) { return false; }

static bool cpu_has_crc32c(void) { return false; }

#endif

/// Whether the environment variable is "1", asking for a pure-Swift fallback (DAPODIK_SHA256_PORTABLE,
/// DAPODIK_CRC32C_PORTABLE): to run a whole test suite or benchmark on the code a machine without the
/// instructions would use.
static bool portable_requested(const char *variable) {
    const char *value = getenv(variable);
    return value != NULL && strcmp(value, "1") == 0;
}

bool cdapodik_sha256_hardware_available(void) {
    return !portable_requested("DAPODIK_SHA256_PORTABLE") && cpu_has_sha256();
}

bool cdapodik_crc32c_hardware_available(void) {
    return !portable_requested("DAPODIK_CRC32C_PORTABLE") && cpu_has_crc32c();
}
