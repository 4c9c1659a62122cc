// CRC-32C with the SSE4.2 CRC32 instruction. Compiled for x86-64 only; called only when
// cdapodik_crc32c_hardware_available() says the CPU has SSE4.2.

#include "CDapodikSHA.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#include <string.h>

#define CDAPODIK_CRC_TARGET __attribute__((target("sse4.2")))

// The instruction computes the reflected CRC-32C register update (polynomial 0x82F63B78) without
// the initial and final inversion, which are done here, as in cdapodik_crc32c_hardware's contract.
CDAPODIK_CRC_TARGET uint32_t cdapodik_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *next = bytes;
    uint64_t state = (uint32_t)~crc;
    // Single bytes up to an 8-byte boundary, then 8 bytes per instruction, then the rest.
    while (count > 0 && ((uintptr_t)next & 7) != 0) {
        state = _mm_crc32_u8((uint32_t)state, *next++);
        count--;
    }
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, next, 8);
        state = _mm_crc32_u64(state, word);
        next += 8;
        count -= 8;
    }
    while (count > 0) {
        state = _mm_crc32_u8((uint32_t)state, *next++);
        count--;
    }
    return ~(uint32_t)state;
}

#endif
