// CRC-32C with the ARMv8 CRC32 instructions (CRC32CB, CRC32CX). Compiled for AArch64 only; called
// only when cdapodik_crc32c_hardware_available() says the CPU has them.

#include "CDapodikSHA.h"

#if defined(__aarch64__)
#include <arm_acle.h>
#include <string.h>

#define CDAPODIK_CRC_TARGET __attribute__((target("crc")))

// The instructions compute the reflected CRC-32C register update (polynomial 0x82F63B78) without
// the initial and final inversion, which are done here, as in cdapodik_crc32c_hardware's contract.
CDAPODIK_CRC_TARGET uint32_t cdapodik_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *next = bytes;
    uint32_t state = ~crc;
    // Single bytes up to an 8-byte boundary, then 8 bytes per instruction, then the rest.
    while (count > 0 && ((uintptr_t)next & 7) != 0) {
        state = __crc32cb(state, *next++);
        count--;
    }
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, next, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        word = __builtin_bswap64(word);  // the instruction takes the first byte in the lowest bits
#endif
        state = __crc32cd(state, word);
        next += 8;
        count -= 8;
    }
    while (count > 0) {
        state = __crc32cb(state, *next++);
        count--;
    }
    return ~state;
}

#endif
