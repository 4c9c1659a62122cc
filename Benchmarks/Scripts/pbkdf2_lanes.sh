#!/usr/bin/env bash
# How much one core gains by deriving two PBKDF2-HMAC-SHA256 keys at once with the SHA instructions:
# the library's two-lane loop (cdapodik_sha256_hardware_pbkdf2_two, two derivations' compressions
# interleaved four rounds at a time) against its one-lane loop run twice, both from
# Sources/CDapodikSHA/SHA256+x86.c compiled into a harness; CPU time of this thread.
#
#   Benchmarks/Scripts/pbkdf2_lanes.sh [ITERATIONS (600000)] [ROUNDS (5)]
#
# Before timing, both lanes derive a key that Python's hashlib.pbkdf2_hmac also derives (two different
# passwords and salts, 4,096 iterations), and the two-lane loop must give exactly what the one-lane
# loop gives. x86-64 with SHA-NI only; needs clang (the Swift toolchain's, as SwiftPM uses) and python3.
# Why: PerformanceHistory.md, sixteenth pass (a login is 99 % of a verification's CPU time).
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
#include "CDapodikSHA.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    cdapodik_sha256_hardware_pbkdf2_two((const uint32_t(*)[8])inner, (const uint32_t(*)[8])outer, u, t, 4095);
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
        cdapodik_sha256_hardware_pbkdf2_two((const uint32_t(*)[8])inner, (const uint32_t(*)[8])outer, u, t,
                                            iterations - 1);
        double after = thread_seconds();
        printf("round %d: two keys one after the other %.1f ms, two at once %.1f ms: %.2fx the keys per CPU second\n",
               round, (between - before) * 1e3, (after - between) * 1e3, (between - before) / (after - between));
    }
    return memcmp(t, t1, sizeof t) != 0;  // the same keys both ways, and the work is not left out
}
EOF
clang -O2 -I"$sources/include" "$sources/FeatureDetection.c" "$sources/SHA256+x86.c" "$work/lanes.c" -o "$work/lanes"
"$work/lanes" "$iterations" "$rounds" $expected
