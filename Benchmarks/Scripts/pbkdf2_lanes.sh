#!/usr/bin/env bash
# How much one core gains by deriving two PBKDF2-HMAC-SHA256 keys at once with the SHA instructions:
# two derivations' compressions interleaved four rounds at a time, against the library's one-lane loop
# (Sources/CDapodikSHA/SHA256+x86.c, compiled into the harness) run twice, CPU time of this thread.
#
#   Benchmarks/Scripts/pbkdf2_lanes.sh [ITERATIONS (600000)] [ROUNDS (5)]
#
# Before timing, both lanes derive a key that Python's hashlib.pbkdf2_hmac also derives (two different
# passwords and salts, 4,096 iterations), and the two-lane loop must give exactly what the one-lane
# loop gives. x86-64 with SHA-NI only; needs clang (the Swift toolchain's, as SwiftPM uses) and python3.
# Why: Performance.md, sixteenth pass (a login is 99 % of a verification's CPU time).
set -euo pipefail
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
iterations="${1:-600000}" rounds="${2:-5}"
case "$iterations$rounds" in *[!0-9]*) echo "ITERATIONS and ROUNDS are whole numbers" >&2; exit 64 ;; esac
[ "$iterations" -ge 2 ] && [ "$rounds" -ge 1 ] || { echo "at least 2 iterations and 1 round" >&2; exit 64; }
grep -qw sha_ni /proc/cpuinfo || { echo "this CPU has no SHA-NI: nothing to measure" >&2; exit 69; }
sources="$(cd "$(dirname "$0")/../../Sources/CDapodikSHA" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

expected="$(python3 -c '
import hashlib
print(hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 4096).hex())
print(hashlib.pbkdf2_hmac("sha256", "kata sandi guru ✓".encode(), b"NUPTK 1234567890123456", 4096).hex())')"

cat > "$work/lanes.c" <<'EOF'
#include "SHA256+x86.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/// Four rounds of one lane (the library's ROUNDS4 with the lane's registers named).
#define LANE_ROUNDS4(abef, cdgh, words, k)                                                              \
    do {                                                                                                 \
        __m128i sum = _mm_add_epi32((words),                                                             \
                                    _mm_load_si128((const __m128i *)&cdapodik_sha256_round_constants[k])); \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, sum);                                                   \
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(sum, 0x0E));                          \
    } while (0)

/// Two independent compressions (lane x, lane y), their instructions interleaved four rounds at a time.
CDAPODIK_SHA_INLINE void compress_two(__m128i *xa, __m128i *xc, __m128i x0, __m128i x1, __m128i x2, __m128i x3,
                                      __m128i *ya, __m128i *yc, __m128i y0, __m128i y1, __m128i y2, __m128i y3) {
    __m128i a0 = *xa, c0 = *xc, a1 = *ya, c1 = *yc;
    LANE_ROUNDS4(a0, c0, x0, 0); LANE_ROUNDS4(a1, c1, y0, 0);
    LANE_ROUNDS4(a0, c0, x1, 4); LANE_ROUNDS4(a1, c1, y1, 4);
    LANE_ROUNDS4(a0, c0, x2, 8); LANE_ROUNDS4(a1, c1, y2, 8);
    LANE_ROUNDS4(a0, c0, x3, 12); LANE_ROUNDS4(a1, c1, y3, 12);
    for (int k = 16; k < 64; k += 16) {
        SCHEDULE4(x0, x1, x2, x3); SCHEDULE4(y0, y1, y2, y3);
        LANE_ROUNDS4(a0, c0, x0, k); LANE_ROUNDS4(a1, c1, y0, k);
        SCHEDULE4(x1, x2, x3, x0); SCHEDULE4(y1, y2, y3, y0);
        LANE_ROUNDS4(a0, c0, x1, k + 4); LANE_ROUNDS4(a1, c1, y1, k + 4);
        SCHEDULE4(x2, x3, x0, x1); SCHEDULE4(y2, y3, y0, y1);
        LANE_ROUNDS4(a0, c0, x2, k + 8); LANE_ROUNDS4(a1, c1, y2, k + 8);
        SCHEDULE4(x3, x0, x1, x2); SCHEDULE4(y3, y0, y1, y2);
        LANE_ROUNDS4(a0, c0, x3, k + 12); LANE_ROUNDS4(a1, c1, y3, k + 12);
    }
    *xa = _mm_add_epi32(*xa, a0); *xc = _mm_add_epi32(*xc, c0);
    *ya = _mm_add_epi32(*ya, a1); *yc = _mm_add_epi32(*yc, c1);
}

/// The library's PBKDF2 loop (cdapodik_sha256_hardware_pbkdf2) for two keys at once.
CDAPODIK_SHA_TARGET
static void pbkdf2_two(const uint32_t inner[2][8], const uint32_t outer[2][8], uint32_t u[2][8], uint32_t t[2][8],
                       uint64_t count) {
    __m128i ia[2], ic[2], oa[2], oc[2], ul[2], uh[2], tl[2], th[2];
    const __m128i pl = _mm_load_si128((const __m128i *)&cdapodik_sha256_digest_padding[0]);
    const __m128i ph = _mm_load_si128((const __m128i *)&cdapodik_sha256_digest_padding[4]);
    for (int l = 0; l < 2; l++) {
        load_state(inner[l], &ia[l], &ic[l]);
        load_state(outer[l], &oa[l], &oc[l]);
        ul[l] = _mm_loadu_si128((const __m128i *)&u[l][0]), uh[l] = _mm_loadu_si128((const __m128i *)&u[l][4]);
        tl[l] = _mm_loadu_si128((const __m128i *)&t[l][0]), th[l] = _mm_loadu_si128((const __m128i *)&t[l][4]);
    }
    for (; count > 0; count--) {
        __m128i a0 = ia[0], c0 = ic[0], a1 = ia[1], c1 = ic[1], x0, x1, y0, y1;
        compress_two(&a0, &c0, ul[0], uh[0], pl, ph, &a1, &c1, ul[1], uh[1], pl, ph);
        unpack_state(a0, c0, &x0, &x1);
        unpack_state(a1, c1, &y0, &y1);
        a0 = oa[0], c0 = oc[0], a1 = oa[1], c1 = oc[1];
        compress_two(&a0, &c0, x0, x1, pl, ph, &a1, &c1, y0, y1, pl, ph);
        unpack_state(a0, c0, &ul[0], &uh[0]);
        unpack_state(a1, c1, &ul[1], &uh[1]);
        for (int l = 0; l < 2; l++) tl[l] = _mm_xor_si128(tl[l], ul[l]), th[l] = _mm_xor_si128(th[l], uh[l]);
    }
    for (int l = 0; l < 2; l++) {
        _mm_storeu_si128((__m128i *)&u[l][0], ul[l]), _mm_storeu_si128((__m128i *)&u[l][4], uh[l]);
        _mm_storeu_si128((__m128i *)&t[l][0], tl[l]), _mm_storeu_si128((__m128i *)&t[l][4], th[l]);
    }
}

static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/// SHA-256 of a message of up to 55 + 64 bytes after one already compressed 64-byte block (`state`).
static void finish(uint32_t state[8], const uint8_t *message, size_t length) {
    uint8_t blocks[128] = {0};
    size_t total = length + 9 <= 64 ? 64 : 128;
    memcpy(blocks, message, length);
    blocks[length] = 0x80;
    uint64_t bits = (uint64_t)(64 + length) * 8;
    for (int i = 0; i < 8; i++) blocks[total - 1 - i] = (uint8_t)(bits >> (8 * i));
    cdapodik_sha256_hardware_compress(state, blocks, total / 64);
}

static void big_endian(uint8_t *bytes, const uint32_t words[8]) {
    for (int i = 0; i < 8; i++) {
        bytes[4 * i] = words[i] >> 24, bytes[4 * i + 1] = words[i] >> 16;
        bytes[4 * i + 2] = words[i] >> 8, bytes[4 * i + 3] = (uint8_t)words[i];
    }
}

/// HMAC's keyed inner and outer states and PBKDF2's first block U1 = T (RFC 8018 §5.2), for a
/// password of at most 64 bytes and a salt of at most 51.
static void start(const char *password, const char *salt, uint32_t inner[8], uint32_t outer[8], uint32_t u[8],
                  uint32_t t[8]) {
    uint8_t ipad[64], opad[64], salted[64], digest[32];
    size_t length = strlen(password), salt_length = strlen(salt);
    memset(ipad, 0x36, 64), memset(opad, 0x5c, 64);
    for (size_t i = 0; i < length; i++) ipad[i] ^= (uint8_t)password[i], opad[i] ^= (uint8_t)password[i];
    memcpy(inner, initial, 32), memcpy(outer, initial, 32);
    cdapodik_sha256_hardware_compress(inner, ipad, 1);
    cdapodik_sha256_hardware_compress(outer, opad, 1);
    memcpy(salted, salt, salt_length);
    memcpy(salted + salt_length, "\0\0\0\1", 4);
    memcpy(u, inner, 32);
    finish(u, salted, salt_length + 4);
    big_endian(digest, u);
    uint32_t outer_copy[8];
    memcpy(outer_copy, outer, 32);
    finish(outer_copy, digest, 32);
    memcpy(u, outer_copy, 32), memcpy(t, outer_copy, 32);
}

static void hex(char out[65], const uint32_t words[8]) {
    for (int i = 0; i < 8; i++) snprintf(out + 8 * i, 9, "%08x", words[i]);
}

static double thread_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 5 || !cdapodik_sha256_hardware_available()) return 69;
    uint64_t iterations = strtoull(argv[1], NULL, 10);
    int rounds = atoi(argv[2]);
    const char *expected[2] = {argv[3], argv[4]};
    uint32_t inner[2][8], outer[2][8], u[2][8], t[2][8], u1[2][8], t1[2][8];
    start("password", "salt", inner[0], outer[0], u[0], t[0]);
    start("kata sandi guru \xe2\x9c\x93", "NUPTK 1234567890123456", inner[1], outer[1], u[1], t[1]);
    memcpy(u1, u, sizeof u), memcpy(t1, t, sizeof t);
    pbkdf2_two((const uint32_t(*)[8])inner, (const uint32_t(*)[8])outer, u, t, 4095);
    for (int l = 0; l < 2; l++) {
        cdapodik_sha256_hardware_pbkdf2(inner[l], outer[l], u1[l], t1[l], 4095);
        char two[65], one[65];
        hex(two, t[l]), hex(one, t1[l]);
        int right = strcmp(two, expected[l]) == 0 && strcmp(one, expected[l]) == 0;
        printf("lane %d, 4,096 iterations: %s %s\n", l, two, right ? "(as hashlib)" : "WRONG");
        if (!right) return 1;
    }
    for (int round = 1; round <= rounds; round++) {
        double before = thread_seconds();
        for (int l = 0; l < 2; l++) cdapodik_sha256_hardware_pbkdf2(inner[l], outer[l], u1[l], t1[l], iterations - 1);
        double between = thread_seconds();
        pbkdf2_two((const uint32_t(*)[8])inner, (const uint32_t(*)[8])outer, u, t, iterations - 1);
        double after = thread_seconds();
        printf("round %d: two keys one after the other %.1f ms, two at once %.1f ms: %.2fx the keys per CPU second\n",
               round, (between - before) * 1e3, (after - between) * 1e3, (between - before) / (after - between));
    }
    return memcmp(t, t1, sizeof t) != 0;  // the same keys both ways, and the work is not left out
}
EOF
clang -O2 -I"$sources" -I"$sources/include" "$sources/FeatureDetection.c" "$work/lanes.c" -o "$work/lanes"
"$work/lanes" "$iterations" "$rounds" $expected
