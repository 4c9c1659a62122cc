// SHA-256 with the ARMv8 cryptographic extension (SHA256H, SHA256H2, SHA256SU0, SHA256SU1; Arm
// Architecture Reference Manual, "SHA2"). Compiled for AArch64 only; called only when
// cdapodik_sha256_hardware_available() says the CPU has SHA2.

#include "CDapodikSHA.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#include "RoundConstants.h"

#if defined(__clang__)
#define CDAPODIK_SHA_TARGET __attribute__((target("sha2")))
#else
#define CDAPODIK_SHA_TARGET __attribute__((target("+sha2")))
#endif
#define CDAPODIK_SHA_INLINE static inline __attribute__((always_inline)) CDAPODIK_SHA_TARGET

// SHA256H and SHA256H2 keep the working variables as two registers, ABCD and EFGH (A in the lowest
// lane): the chaining value's own order, so no shuffling is needed on the way in or out.

/// Four rounds with message words W(k)…W(k+3) (W(k) in the lowest lane) on the working variables in the
/// registers `abcd` and `efgh`.
#define ROUNDS4_ON(abcd, efgh, words, k)                                                   \
    do {                                                                                   \
        uint32x4_t sum = vaddq_u32((words), vld1q_u32(&cdapodik_sha256_round_constants[k])); \
        uint32x4_t abcd_before = abcd;                                                     \
        abcd = vsha256hq_u32(abcd, efgh, sum);                                             \
        efgh = vsha256h2q_u32(efgh, abcd_before, sum);                                     \
    } while (0)

/// ROUNDS4_ON the registers named `abcd` and `efgh`.
#define ROUNDS4(words, k) ROUNDS4_ON(abcd, efgh, words, k)

/// The next four schedule words into w0, from the sixteen in w0…w3 (FIPS 180-4 §6.2.2 step 1).
#define SCHEDULE4(w0, w1, w2, w3) (w0 = vsha256su1q_u32(vsha256su0q_u32((w0), (w1)), (w2), (w3)))

/// The compression function on one block given as sixteen native words in w0…w3, with the
/// feed-forward addition: the only place the round instructions are.
CDAPODIK_SHA_INLINE void compress_words(uint32x4_t *abcd_io, uint32x4_t *efgh_io, uint32x4_t w0, uint32x4_t w1,
                                        uint32x4_t w2, uint32x4_t w3) {
    uint32x4_t abcd = *abcd_io, efgh = *efgh_io;
    ROUNDS4(w0, 0);
    ROUNDS4(w1, 4);
    ROUNDS4(w2, 8);
    ROUNDS4(w3, 12);
    for (int k = 16; k < 64; k += 16) {
        SCHEDULE4(w0, w1, w2, w3);
        ROUNDS4(w0, k);
        SCHEDULE4(w1, w2, w3, w0);
        ROUNDS4(w1, k + 4);
        SCHEDULE4(w2, w3, w0, w1);
        ROUNDS4(w2, k + 8);
        SCHEDULE4(w3, w0, w1, w2);
        ROUNDS4(w3, k + 12);
    }
    *abcd_io = vaddq_u32(*abcd_io, abcd);
    *efgh_io = vaddq_u32(*efgh_io, efgh);
}

/// Two independent compressions with the feed-forward addition, lane x (x0…x3) and lane y (y0…y3), their
/// instructions interleaved four rounds at a time: each SHA256H/SHA256H2 pair waits on the one before, so the
/// other chain's instructions fill those cycles (as the x86-64 twin does; PerformanceHistory.md, eighteenth pass).
CDAPODIK_SHA_INLINE void compress_two(uint32x4_t *x_abcd, uint32x4_t *x_efgh, uint32x4_t x0, uint32x4_t x1,
                                      uint32x4_t x2, uint32x4_t x3, uint32x4_t *y_abcd, uint32x4_t *y_efgh,
                                      uint32x4_t y0, uint32x4_t y1, uint32x4_t y2, uint32x4_t y3) {
    uint32x4_t xa = *x_abcd, xe = *x_efgh, ya = *y_abcd, ye = *y_efgh;
    ROUNDS4_ON(xa, xe, x0, 0);
    ROUNDS4_ON(ya, ye, y0, 0);
    ROUNDS4_ON(xa, xe, x1, 4);
    ROUNDS4_ON(ya, ye, y1, 4);
    ROUNDS4_ON(xa, xe, x2, 8);
    ROUNDS4_ON(ya, ye, y2, 8);
    ROUNDS4_ON(xa, xe, x3, 12);
    ROUNDS4_ON(ya, ye, y3, 12);
    for (int k = 16; k < 64; k += 16) {
        SCHEDULE4(x0, x1, x2, x3);
        SCHEDULE4(y0, y1, y2, y3);
        ROUNDS4_ON(xa, xe, x0, k);
        ROUNDS4_ON(ya, ye, y0, k);
        SCHEDULE4(x1, x2, x3, x0);
        SCHEDULE4(y1, y2, y3, y0);
        ROUNDS4_ON(xa, xe, x1, k + 4);
        ROUNDS4_ON(ya, ye, y1, k + 4);
        SCHEDULE4(x2, x3, x0, x1);
        SCHEDULE4(y2, y3, y0, y1);
        ROUNDS4_ON(xa, xe, x2, k + 8);
        ROUNDS4_ON(ya, ye, y2, k + 8);
        SCHEDULE4(x3, x0, x1, x2);
        SCHEDULE4(y3, y0, y1, y2);
        ROUNDS4_ON(xa, xe, x3, k + 12);
        ROUNDS4_ON(ya, ye, y3, k + 12);
    }
    *x_abcd = vaddq_u32(*x_abcd, xa);
    *x_efgh = vaddq_u32(*x_efgh, xe);
    *y_abcd = vaddq_u32(*y_abcd, ya);
    *y_efgh = vaddq_u32(*y_efgh, ye);
}

/// Four big-endian message words (FIPS 180-4 §3.1) from any address.
CDAPODIK_SHA_INLINE uint32x4_t load_big_endian(const uint8_t *bytes) {
    return vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(bytes)));
}

CDAPODIK_SHA_TARGET
void cdapodik_sha256_hardware_compress(uint32_t state[8], const void *message, size_t block_count) {
    const uint8_t *blocks = message;
    uint32x4_t abcd = vld1q_u32(&state[0]);
    uint32x4_t efgh = vld1q_u32(&state[4]);
    for (; block_count > 0; block_count--, blocks += 64) {
        compress_words(&abcd, &efgh, load_big_endian(blocks), load_big_endian(blocks + 16),
                       load_big_endian(blocks + 32), load_big_endian(blocks + 48));
    }
    vst1q_u32(&state[0], abcd);
    vst1q_u32(&state[4], efgh);
}

CDAPODIK_SHA_TARGET
void cdapodik_sha256_hardware_pbkdf2(
    const uint32_t inner[8], const uint32_t outer[8], uint32_t u[8], uint32_t t[8], uint64_t count) {
    const uint32x4_t inner_abcd = vld1q_u32(&inner[0]), inner_efgh = vld1q_u32(&inner[4]);
    const uint32x4_t outer_abcd = vld1q_u32(&outer[0]), outer_efgh = vld1q_u32(&outer[4]);
    const uint32x4_t padding_low = vld1q_u32(&cdapodik_sha256_digest_padding[0]);
    const uint32x4_t padding_high = vld1q_u32(&cdapodik_sha256_digest_padding[4]);
    // A digest's words are the next block's message words as they are: no byte swapping.
    uint32x4_t u_low = vld1q_u32(&u[0]), u_high = vld1q_u32(&u[4]);
    uint32x4_t t_low = vld1q_u32(&t[0]), t_high = vld1q_u32(&t[4]);
    for (; count > 0; count--) {
        uint32x4_t abcd = inner_abcd, efgh = inner_efgh;
        compress_words(&abcd, &efgh, u_low, u_high, padding_low, padding_high);
        uint32x4_t digest_low = abcd, digest_high = efgh;
        abcd = outer_abcd;
        efgh = outer_efgh;
        compress_words(&abcd, &efgh, digest_low, digest_high, padding_low, padding_high);
        u_low = abcd;
        u_high = efgh;
        t_low = veorq_u32(t_low, u_low);
        t_high = veorq_u32(t_high, u_high);
    }
    vst1q_u32(&u[0], u_low);
    vst1q_u32(&u[4], u_high);
    vst1q_u32(&t[0], t_low);
    vst1q_u32(&t[4], t_high);
}

CDAPODIK_SHA_TARGET
void cdapodik_sha256_hardware_pbkdf2_two(const uint32_t inner[2][8], const uint32_t outer[2][8], uint32_t u[2][8],
                                         uint32_t t[2][8], uint64_t count) {
    uint32x4_t inner_abcd[2], inner_efgh[2], outer_abcd[2], outer_efgh[2], u_low[2], u_high[2], t_low[2], t_high[2];
    const uint32x4_t padding_low = vld1q_u32(&cdapodik_sha256_digest_padding[0]);
    const uint32x4_t padding_high = vld1q_u32(&cdapodik_sha256_digest_padding[4]);
    for (int lane = 0; lane < 2; lane++) {
        inner_abcd[lane] = vld1q_u32(&inner[lane][0]), inner_efgh[lane] = vld1q_u32(&inner[lane][4]);
        outer_abcd[lane] = vld1q_u32(&outer[lane][0]), outer_efgh[lane] = vld1q_u32(&outer[lane][4]);
        u_low[lane] = vld1q_u32(&u[lane][0]), u_high[lane] = vld1q_u32(&u[lane][4]);
        t_low[lane] = vld1q_u32(&t[lane][0]), t_high[lane] = vld1q_u32(&t[lane][4]);
    }
    // A digest's words are the next block's message words as they are: no byte swapping.
    for (; count > 0; count--) {
        uint32x4_t xa = inner_abcd[0], xe = inner_efgh[0], ya = inner_abcd[1], ye = inner_efgh[1];
        compress_two(&xa, &xe, u_low[0], u_high[0], padding_low, padding_high, &ya, &ye, u_low[1], u_high[1],
                     padding_low, padding_high);
        const uint32x4_t x_low = xa, x_high = xe, y_low = ya, y_high = ye;
        xa = outer_abcd[0], xe = outer_efgh[0], ya = outer_abcd[1], ye = outer_efgh[1];
        compress_two(&xa, &xe, x_low, x_high, padding_low, padding_high, &ya, &ye, y_low, y_high, padding_low,
                     padding_high);
        u_low[0] = xa, u_high[0] = xe, u_low[1] = ya, u_high[1] = ye;
        for (int lane = 0; lane < 2; lane++) {
            t_low[lane] = veorq_u32(t_low[lane], u_low[lane]);
            t_high[lane] = veorq_u32(t_high[lane], u_high[lane]);
        }
    }
    for (int lane = 0; lane < 2; lane++) {
        vst1q_u32(&u[lane][0], u_low[lane]);
        vst1q_u32(&u[lane][4], u_high[lane]);
        vst1q_u32(&t[lane][0], t_low[lane]);
        vst1q_u32(&t[lane][4], t_high[lane]);
    }
}

#endif
