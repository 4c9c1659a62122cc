#!/usr/bin/env bash
# Checks the ARMv8 CRC-32C code of Sources/CDapodikSHA on an x86-64 machine: cross-compiles the C target
# with a small harness for AArch64 Linux and runs it under qemu-user (which emulates the CRC32
# instructions), against RFC 3720 B.4's vectors, "123456789" and a bitwise CRC-32C on random bytes of
# every length 0–4096 at every start 0–15.
#
#   Benchmarks/Scripts/crc32c_arm64_qemu.sh
#
# Needs clang (the Swift toolchain's), qemu-user, libc6-dev-arm64-cross, libgcc-12-dev-arm64-cross
# (Debian 12: apt-get install qemu-user libc6-dev-arm64-cross libgcc-12-dev-arm64-cross).
set -euo pipefail
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
sources="$(cd "$(dirname "$0")/../../Sources/CDapodikSHA" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/check.c" <<'CHECK'
#include "CDapodikSHA.h"
#include <stdio.h>
#include <string.h>

static uint32_t bitwise(uint32_t crc, const uint8_t *bytes, size_t count) {
    crc = ~crc;
    for (size_t i = 0; i < count; i++) {
        crc ^= bytes[i];
        for (int bit = 0; bit < 8; bit++) crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
    }
    return ~crc;
}

static int check(const char *name, const void *bytes, size_t count, uint32_t expected) {
    uint32_t actual = cdapodik_crc32c_hardware(0, bytes, count);
    printf("%s: %08x %s\n", name, actual, actual == expected ? "ok" : "WRONG");
    return actual == expected;
}

int main(void) {
    if (!cdapodik_crc32c_hardware_available()) { puts("no CRC32 reported"); return 2; }
    uint8_t bytes[48] = {0};
    int ok = check("123456789", "123456789", 9, 0xE3069283u);
    ok &= check("32 zeros", bytes, 32, 0x8A9136AAu);
    memset(bytes, 0xFF, 32);
    ok &= check("32 x ff", bytes, 32, 0x62A8AB43u);
    for (int i = 0; i < 32; i++) bytes[i] = (uint8_t)i;
    ok &= check("0..31", bytes, 32, 0x46DD794Eu);
    memset(bytes, 0, sizeof bytes);
    bytes[0] = 0x01, bytes[1] = 0xC0, bytes[16] = 0x14, bytes[22] = 0x04, bytes[27] = 0x14, bytes[31] = 0x18;
    bytes[32] = 0x28, bytes[40] = 0x02;
    ok &= check("iSCSI read PDU", bytes, 48, 0xD9963A56u);

    static uint8_t random[4096 + 16];
    uint64_t state = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < sizeof random; i++) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        random[i] = (uint8_t)(state >> 56);
    }
    int mismatches = 0;
    for (size_t count = 0; count <= 4096; count++) {
        for (size_t start = 0; start < 16; start++) {
            uint32_t from = (uint32_t)(count * 2654435761u + start);
            if (cdapodik_crc32c_hardware(from, random + start, count) != bitwise(from, random + start, count)) {
                mismatches++;
            }
        }
    }
    printf("random bytes, lengths 0-4096 at starts 0-15: %d mismatches %s\n", mismatches, mismatches ? "WRONG" : "ok");
    return ok && mismatches == 0 ? 0 : 1;
}
CHECK
clang --target=aarch64-linux-gnu --sysroot=/usr/aarch64-linux-gnu -B/usr/lib/gcc-cross/aarch64-linux-gnu/12 \
    -L/usr/lib/gcc-cross/aarch64-linux-gnu/12 -fuse-ld=lld -static -O2 -Wall -Wextra -Werror \
    -I"$sources/include" "$work/check.c" "$sources"/*.c -o "$work/check"
qemu-aarch64 -cpu max "$work/check"
