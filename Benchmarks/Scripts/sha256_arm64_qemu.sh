#!/usr/bin/env bash
# Checks the ARMv8 SHA2 code of Sources/CDapodikSHA on an x86-64 machine: cross-compiles the C target
# with a small harness for AArch64 Linux and runs it under qemu-user (which emulates SHA2), against
# FIPS 180-4's "abc" and 448-bit examples, PBKDF2's loop against two compressions per iteration, and
# the two-lane loop against two runs of the one-lane loop (random keyed states, several counts).
#
#   Benchmarks/Scripts/sha256_arm64_qemu.sh
#
# Needs clang (the Swift toolchain's), qemu-user, libc6-dev-arm64-cross, libgcc-12-dev-arm64-cross
# (Debian 12: apt-get install qemu-user libc6-dev-arm64-cross libgcc-12-dev-arm64-cross).
set -euo pipefail
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
sources="$(cd "$(dirname "$0")/../../Sources/CDapodikSHA" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/check.c" <<'EOF'
#include "CDapodikSHA.h"
#include <stdio.h>
#include <string.h>

static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

static int check(const char *name, const uint8_t *padded, size_t blocks, const char *expected) {
    uint32_t state[8];
    char hex[65];
    memcpy(state, initial, sizeof state);
    cdapodik_sha256_hardware_compress(state, padded, blocks);
    for (int i = 0; i < 8; i++) snprintf(hex + 8 * i, 9, "%08x", state[i]);
    int same = strcmp(hex, expected) == 0;
    printf("%s: %s %s\n", name, hex, same ? "ok" : "WRONG");
    return same;
}

static void store_big_endian(uint8_t *bytes, const uint32_t words[8]) {
    for (int i = 0; i < 8; i++) {
        bytes[4 * i] = words[i] >> 24, bytes[4 * i + 1] = words[i] >> 16;
        bytes[4 * i + 2] = words[i] >> 8, bytes[4 * i + 3] = words[i];
    }
}

static uint32_t next_random(uint64_t *seed) {  // xorshift64*
    *seed ^= *seed >> 12, *seed ^= *seed << 25, *seed ^= *seed >> 27;
    return (uint32_t)((*seed * 0x2545F4914F6CDD1DULL) >> 32);
}

/// The two-lane loop against the one-lane loop run on each lane: random keyed states, U and T per lane
/// (the lanes different), counts 0, 1, 2, 3, 64 and 1000.
static int check_two_lanes(void) {
    static const uint64_t counts[] = {0, 1, 2, 3, 64, 1000};
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    int same = 1;
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        uint32_t inner[2][8], outer[2][8], u[2][8], t[2][8], u1[2][8], t1[2][8];
        for (int lane = 0; lane < 2; lane++) {
            for (int i = 0; i < 8; i++) {
                inner[lane][i] = next_random(&seed), outer[lane][i] = next_random(&seed);
                u[lane][i] = u1[lane][i] = next_random(&seed), t[lane][i] = t1[lane][i] = next_random(&seed);
            }
        }
        cdapodik_sha256_hardware_pbkdf2_two((const uint32_t (*)[8])inner, (const uint32_t (*)[8])outer, u, t,
                                            counts[c]);
        for (int lane = 0; lane < 2; lane++) {
            cdapodik_sha256_hardware_pbkdf2(inner[lane], outer[lane], u1[lane], t1[lane], counts[c]);
        }
        int lanes = memcmp(u, u1, sizeof u) == 0 && memcmp(t, t1, sizeof t) == 0;
        printf("PBKDF2 two lanes, %llu iterations: %s\n", (unsigned long long)counts[c], lanes ? "ok" : "WRONG");
        same &= lanes;
    }
    return same;
}

int main(void) {
    if (!cdapodik_sha256_hardware_available()) { puts("no SHA2 reported"); return 2; }
    uint8_t buffer[129] = {0}, *block = buffer + 1;  // unaligned on purpose
    memcpy(block, "abc", 3), block[3] = 0x80, block[63] = 24;
    int ok = check("abc", block, 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    memset(buffer, 0, sizeof buffer);
    memcpy(block, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
    block[56] = 0x80, block[126] = 0x01, block[127] = 0xc0;
    ok &= check("448 bits", block, 2, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

    uint32_t inner[8], outer[8], u[8], t[8], u2[8], t2[8];
    for (int i = 0; i < 8; i++) {
        inner[i] = 0x11111111u * i + 5, outer[i] = 0x01020304u * (i + 3);
        u[i] = u2[i] = 0xdeadbeefu ^ i, t[i] = t2[i] = i * 77;
    }
    cdapodik_sha256_hardware_pbkdf2(inner, outer, u, t, 3);
    for (int k = 0; k < 3; k++) {
        uint8_t message[64] = {0};
        uint32_t state[8];
        memcpy(state, inner, sizeof state);
        store_big_endian(message, u2), message[32] = 0x80, message[62] = 0x03;
        cdapodik_sha256_hardware_compress(state, message, 1);
        store_big_endian(message, state);
        memcpy(u2, outer, sizeof u2);
        cdapodik_sha256_hardware_compress(u2, message, 1);
        for (int i = 0; i < 8; i++) t2[i] ^= u2[i];
    }
    int loop = memcmp(u, u2, sizeof u) == 0 && memcmp(t, t2, sizeof t) == 0;
    printf("PBKDF2 loop: %s\n", loop ? "ok" : "WRONG");
    return ok && loop && check_two_lanes() ? 0 : 1;
}
EOF
clang --target=aarch64-linux-gnu --sysroot=/usr/aarch64-linux-gnu -B/usr/lib/gcc-cross/aarch64-linux-gnu/12 \
    -L/usr/lib/gcc-cross/aarch64-linux-gnu/12 -fuse-ld=lld -static -O2 -Wall -Wextra -Werror \
    -I"$sources/include" "$work/check.c" "$sources"/*.c -o "$work/check"
qemu-aarch64 -cpu max "$work/check"
