// SHA-256 with the x86 SHA extensions (SHA-NI), after Intel's "Intel SHA Extensions" white paper
// (Gulley et al., 2013). Compiled for x86-64 only; called only when
// cdapodik_sha256_hardware_available() says the CPU has SHA, SSSE3 and SSE4.1.

#include "CDapodikSHA.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include "RoundConstants.h"

#define CDAPODIK_SHA_TARGET __attribute__((target("sha,ssse3,sse4.1")))
#define CDAPODIK_SHA_INLINE static inline __attribute__((always_inline)) CDAPODIK_SHA_TARGET

// SHA256RNDS2 keeps the working variables as two registers, ABEF and CDGH (A in the highest lane).

/// The chaining value H0…H7 (native words, in order) as the ABEF and CDGH registers.
CDAPODIK_SHA_INLINE void load_state(const uint32_t state[8], __m128i *abef, __m128i *cdgh) {
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    *abef = _mm_alignr_epi8(cdab, efgh, 8);
    *cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
}

/// ABEF and CDGH back as H0…H3 and H4…H7 (native words, H0 in the lowest lane).
CDAPODIK_SHA_INLINE void unpack_state(__m128i abef, __m128i cdgh, __m128i *dcba, __m128i *hgfe) {
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    *dcba = _mm_blend_epi16(feba, dchg, 0xF0);
    *hgfe = _mm_alignr_epi8(dchg, feba, 8);
}

/// Four rounds with message words W(k)…W(k+3) (W(k) in the lowest lane) on the working variables in the
/// registers `abef` and `cdgh`.
#define ROUNDS4_ON(abef, cdgh, words, k)                                                               \
    do {                                                                                               \
        __m128i sum = _mm_add_epi32((words),                                                           \
                                    _mm_load_si128((const __m128i *)&cdapodik_sha256_round_constants[k])); \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, sum);                                                 \
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(sum, 0x0E));                        \
    } while (0)

/// ROUNDS4_ON the registers named `abef` and `cdgh`.
#define ROUNDS4(words, k) ROUNDS4_ON(abef, cdgh, words, k)

/// The next four schedule words into w0, from the sixteen in w0…w3 (FIPS 180-4 §6.2.2 step 1):
/// SHA256MSG1 adds σ0, the ALIGNR supplies W(t-7), SHA256MSG2 adds σ1.
#define SCHEDULE4(w0, w1, w2, w3)                                                                      \
    (w0 = _mm_sha256msg2_epu32(                                                                        \
         _mm_add_epi32(_mm_sha256msg1_epu32((w0), (w1)), _mm_alignr_epi8((w3), (w2), 4)), (w3)))

/// The compression function on one block given as sixteen native words in w0…w3, with the
/// feed-forward addition: the only place the round instructions are.
CDAPODIK_SHA_INLINE void compress_words(__m128i *abef_io, __m128i *cdgh_io, __m128i w0, __m128i w1, __m128i w2,
                                        __m128i w3) {
    __m128i abef = *abef_io, cdgh = *cdgh_io;
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
    *abef_io = _mm_add_epi32(*abef_io, abef);
    *cdgh_io = _mm_add_epi32(*cdgh_io, cdgh);
}

/// Two independent compressions with the feed-forward addition, lane x (x0…x3) and lane y (y0…y3), their
/// instructions interleaved four rounds at a time: one chain of SHA256RNDS2 waits on the instruction before,
/// so the other chain's instructions fill those cycles (PerformanceHistory.md, sixteenth pass).
CDAPODIK_SHA_INLINE void compress_two(__m128i *x_abef, __m128i *x_cdgh, __m128i x0, __m128i x1, __m128i x2, __m128i x3,
                                      __m128i *y_abef, __m128i *y_cdgh, __m128i y0, __m128i y1, __m128i y2,
                                      __m128i y3) {
    __m128i xa = *x_abef, xc = *x_cdgh, ya = *y_abef, yc = *y_cdgh;
    ROUNDS4_ON(xa, xc, x0, 0);
    ROUNDS4_ON(ya, yc, y0, 0);
    ROUNDS4_ON(xa, xc, x1, 4);
    ROUNDS4_ON(ya, yc, y1, 4);
    ROUNDS4_ON(xa, xc, x2, 8);
    ROUNDS4_ON(ya, yc, y2, 8);
    ROUNDS4_ON(xa, xc, x3, 12);
    ROUNDS4_ON(ya, yc, y3, 12);
    for (int k = 16; k < 64; k += 16) {
        SCHEDULE4(x0, x1, x2, x3);
        SCHEDULE4(y0, y1, y2, y3);
        ROUNDS4_ON(xa, xc, x0, k);
        ROUNDS4_ON(ya, yc, y0, k);
        SCHEDULE4(x1, x2, x3, x0);
        SCHEDULE4(y1, y2, y3, y0);
        ROUNDS4_ON(xa, xc, x1, k + 4);
        ROUNDS4_ON(ya, yc, y1, k + 4);
        SCHEDULE4(x2, x3, x0, x1);
        SCHEDULE4(y2, y3, y0, y1);
        ROUNDS4_ON(xa, xc, x2, k + 8);
        ROUNDS4_ON(ya, yc, y2, k + 8);
        SCHEDULE4(x3, x0, x1, x2);
        SCHEDULE4(y3, y0, y1, y2);
        ROUNDS4_ON(xa, xc, x3, k + 12);
        ROUNDS4_ON(ya, yc, y3, k + 12);
    }
    *x_abef = _mm_add_epi32(*x_abef, xa);
    *x_cdgh = _mm_add_epi32(*x_cdgh, xc);
    *y_abef = _mm_add_epi32(*y_abef, ya);
    *y_cdgh = _mm_add_epi32(*y_cdgh, yc);
}

CDAPODIK_SHA_TARGET
void cdapodik_sha256_hardware_compress(uint32_t state[8], const void *message, size_t block_count) {
    const uint8_t *blocks = message;
    // Reverses the bytes of each 32-bit lane: message words are big-endian (FIPS 180-4 §3.1).
    const __m128i big_endian = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i abef, cdgh;
    load_state(state, &abef, &cdgh);
    for (; block_count > 0; block_count--, blocks += 64) {
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 0)), big_endian);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16)), big_endian);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 32)), big_endian);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 48)), big_endian);
        compress_words(&abef, &cdgh, w0, w1, w2, w3);
    }
    __m128i low, high;
    unpack_state(abef, cdgh, &low, &high);
    _mm_storeu_si128((__m128i *)&state[0], low);
    _mm_storeu_si128((__m128i *)&state[4], high);
}

CDAPODIK_SHA_TARGET
void cdapodik_sha256_hardware_pbkdf2(
    const uint32_t inner[8], const uint32_t outer[8], uint32_t u[8], uint32_t t[8], uint64_t count) {
    __m128i inner_abef, inner_cdgh, outer_abef, outer_cdgh;
    load_state(inner, &inner_abef, &inner_cdgh);
    load_state(outer, &outer_abef, &outer_cdgh);
    const __m128i padding_low = _mm_load_si128((const __m128i *)&cdapodik_sha256_digest_padding[0]);
    const __m128i padding_high = _mm_load_si128((const __m128i *)&cdapodik_sha256_digest_padding[4]);
    // A digest's words are the next block's message words as they are: no byte swapping.
    __m128i u_low = _mm_loadu_si128((const __m128i *)&u[0]);
    __m128i u_high = _mm_loadu_si128((const __m128i *)&u[4]);
    __m128i t_low = _mm_loadu_si128((const __m128i *)&t[0]);
    __m128i t_high = _mm_loadu_si128((const __m128i *)&t[4]);
    for (; count > 0; count--) {
        __m128i abef = inner_abef, cdgh = inner_cdgh;
        compress_words(&abef, &cdgh, u_low, u_high, padding_low, padding_high);
        __m128i digest_low, digest_high;
        unpack_state(abef, cdgh, &digest_low, &digest_high);
        abef = outer_abef;
        cdgh = outer_cdgh;
        compress_words(&abef, &cdgh, digest_low, digest_high, padding_low, padding_high);
        unpack_state(abef, cdgh, &u_low, &u_high);
        t_low = _mm_xor_si128(t_low, u_low);
        t_high = _mm_xor_si128(t_high, u_high);
    }
    _mm_storeu_si128((__m128i *)&u[0], u_low);
    _mm_storeu_si128((__m128i *)&u[4], u_high);
    _mm_storeu_si128((__m128i *)&t[0], t_low);
    _mm_storeu_si128((__m128i *)&t[4], t_high);
}

CDAPODIK_SHA_TARGET
void cdapodik_sha256_hardware_pbkdf2_two(const uint32_t inner[2][8], const uint32_t outer[2][8], uint32_t u[2][8],
                                         uint32_t t[2][8], uint64_t count) {
    __m128i inner_abef[2], inner_cdgh[2], outer_abef[2], outer_cdgh[2], u_low[2], u_high[2], t_low[2], t_high[2];
    const __m128i padding_low = _mm_load_si128((const __m128i *)&cdapodik_sha256_digest_padding[0]);
    const __m128i padding_high = _mm_load_si128((const __m128i *)&cdapodik_sha256_digest_padding[4]);
    for (int lane = 0; lane < 2; lane++) {
        load_state(inner[lane], &inner_abef[lane], &inner_cdgh[lane]);
        load_state(outer[lane], &outer_abef[lane], &outer_cdgh[lane]);
        u_low[lane] = _mm_loadu_si128((const __m128i *)&u[lane][0]);
        u_high[lane] = _mm_loadu_si128((const __m128i *)&u[lane][4]);
        t_low[lane] = _mm_loadu_si128((const __m128i *)&t[lane][0]);
        t_high[lane] = _mm_loadu_si128((const __m128i *)&t[lane][4]);
    }
    for (; count > 0; count--) {
        __m128i x_abef = inner_abef[0], x_cdgh = inner_cdgh[0], y_abef = inner_abef[1], y_cdgh = inner_cdgh[1];
        compress_two(&x_abef, &x_cdgh, u_low[0], u_high[0], padding_low, padding_high, &y_abef, &y_cdgh, u_low[1],
                     u_high[1], padding_low, padding_high);
        __m128i x_low, x_high, y_low, y_high;
        unpack_state(x_abef, x_cdgh, &x_low, &x_high);
        unpack_state(y_abef, y_cdgh, &y_low, &y_high);
        x_abef = outer_abef[0], x_cdgh = outer_cdgh[0], y_abef = outer_abef[1], y_cdgh = outer_cdgh[1];
        compress_two(&x_abef, &x_cdgh, x_low, x_high, padding_low, padding_high, &y_abef, &y_cdgh, y_low, y_high,
                     padding_low, padding_high);
        unpack_state(x_abef, x_cdgh, &u_low[0], &u_high[0]);
        unpack_state(y_abef, y_cdgh, &u_low[1], &u_high[1]);
        for (int lane = 0; lane < 2; lane++) {
            t_low[lane] = _mm_xor_si128(t_low[lane], u_low[lane]);
            t_high[lane] = _mm_xor_si128(t_high[lane], u_high[lane]);
        }
    }
    for (int lane = 0; lane < 2; lane++) {
        _mm_storeu_si128((__m128i *)&u[lane][0], u_low[lane]);
        _mm_storeu_si128((__m128i *)&u[lane][4], u_high[lane]);
        _mm_storeu_si128((__m128i *)&t[lane][0], t_low[lane]);
        _mm_storeu_si128((__m128i *)&t[lane][4], t_high[lane]);
    }
}

#endif
