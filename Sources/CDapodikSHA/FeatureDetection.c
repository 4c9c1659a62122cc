// Run-time detection of the CPU's SHA-256 instructions.

#include "CDapodikSHA.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>

bool cdapodik_sha256_hardware_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    const bool ssse3 = (ecx & (1u << 9)) != 0;    // CPUID.01H:ECX.SSSE3[bit 9]
    const bool sse41 = (ecx & (1u << 19)) != 0;   // CPUID.01H:ECX.SSE4_1[bit 19]
    if (__get_cpuid_max(0, NULL) < 7) return false;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const bool sha = (ebx & (1u << 29)) != 0;     // CPUID.(EAX=07H,ECX=0):EBX.SHA[bit 29]
    return sha && ssse3 && sse41;
}

#elif defined(__aarch64__) && defined(__APPLE__)

// Every 64-bit Apple processor implements the ARMv8 cryptographic extension.
bool cdapodik_sha256_hardware_available(void) { return true; }

#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_SHA2
#define HWCAP_SHA2 (1 << 6)  // arch/arm64/include/uapi/asm/hwcap.h
#endif

bool cdapodik_sha256_hardware_available(void) { return (getauxval(AT_HWCAP) & HWCAP_SHA2) != 0; }

#else

// Another architecture or operating system: DapodikCrypto keeps its pure-Swift SHA-256.
bool cdapodik_sha256_hardware_available(void) { return false; }

#endif
