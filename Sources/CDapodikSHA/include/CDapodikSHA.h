// SHA-256 with the CPU's SHA instructions (x86-64 SHA-NI, ARMv8 SHA2), for DapodikCrypto; and
// CRC-32C with the CPU's CRC instructions (x86-64 SSE4.2, ARMv8 CRC32), for DapodikStorage. (The
// target's name predates the CRC-32C code.)
//
// The functions below are compiled only for x86-64 and AArch64. Call them only after
// cdapodik_sha256_hardware_available() (respectively cdapodik_crc32c_hardware_available()) returned
// true: they execute instructions that other CPUs of the same architecture do not have. Everywhere
// else DapodikCrypto uses its pure-Swift SHA-256, DapodikStorage its pure-Swift CRC-32C.

#ifndef CDAPODIK_SHA_H
#define CDAPODIK_SHA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/// Whether this CPU and operating system can run the hardware functions: on x86-64, CPUID reports
/// SHA (leaf 7, EBX bit 29), SSSE3 and SSE4.1; on AArch64, the kernel reports SHA2
/// (getauxval(AT_HWCAP) & HWCAP_SHA2 on Linux; always on Apple silicon). False on every other
/// architecture, where the answer cannot be obtained, and when the environment variable
/// DAPODIK_SHA256_PORTABLE is "1" (to run everything on the pure-Swift fallback).
bool cdapodik_sha256_hardware_available(void);

/// Whether this CPU and operating system can run cdapodik_crc32c_hardware: on x86-64, CPUID reports
/// SSE4.2 (leaf 1, ECX bit 20); on AArch64, the kernel reports CRC32 (getauxval(AT_HWCAP) &
/// HWCAP_CRC32 on Linux; always on Apple silicon). False on every other architecture, where the
/// answer cannot be obtained, and when the environment variable DAPODIK_CRC32C_PORTABLE is "1" (to run
/// everything on the pure-Swift fallback).
bool cdapodik_crc32c_hardware_available(void);

#if defined(__x86_64__) || defined(__aarch64__)

/// The CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, RFC 3720 §12.1) of `count` bytes,
/// continuing from `crc`: the CRC-32C of the bytes before them, or 0 to start. The same value as
/// DapodikStorage's pure-Swift CRC32C.checksum.
///
/// - Parameters:
///   - crc: The CRC-32C so far (its final, inverted form), or 0.
///   - bytes: The bytes; any alignment. May be NULL when `count` is 0.
///   - count: How many bytes; 0 returns `crc`.
uint32_t cdapodik_crc32c_hardware(uint32_t crc, const void *bytes, size_t count);


/// Applies the SHA-256 compression function (FIPS 180-4 §6.2.2) to `block_count` consecutive
/// 64-byte blocks.
///
/// - Parameters:
///   - state: The chaining value H0…H7 in this order, as native integers; updated in place.
///   - blocks: 64 × block_count message bytes; any alignment.
///   - block_count: The number of blocks; 0 changes nothing.
void cdapodik_sha256_hardware_compress(uint32_t state[8], const void *blocks, size_t block_count);

/// Runs `count` further iterations of PBKDF2-HMAC-SHA256's F function (RFC 8018 §5.2):
/// U(i) = HMAC(P, U(i-1)) and T ^= U(i), where one HMAC of a 32-byte message is one compression
/// from the keyed inner state and one from the keyed outer state. No memory is allocated.
///
/// - Parameters:
///   - inner: The chaining value after the block K XOR ipad (RFC 2104 §2).
///   - outer: The chaining value after the block K XOR opad.
///   - u: U(i-1) as eight native words on entry (its big-endian bytes are the HMAC output); the
///     last U computed on return.
///   - t: The running XOR of every U so far; updated in place.
///   - count: How many iterations to run; 0 changes nothing.
void cdapodik_sha256_hardware_pbkdf2(
    const uint32_t inner[8], const uint32_t outer[8], uint32_t u[8], uint32_t t[8], uint64_t count);

/// cdapodik_sha256_hardware_pbkdf2 for two derivations at once (lane 0 and lane 1, each with its own
/// keyed states, U and T), their compressions interleaved: on x86-64 SHA-NI one core makes about twice the
/// iterations per second it makes for one derivation alone (measured; PerformanceHistory.md, sixteenth pass); the
/// AArch64 twin interleaves the same way (checked under qemu-user; its speed not measured here). The results
/// equal two calls of cdapodik_sha256_hardware_pbkdf2.
void cdapodik_sha256_hardware_pbkdf2_two(const uint32_t inner[2][8], const uint32_t outer[2][8], uint32_t u[2][8],
                                         uint32_t t[2][8], uint64_t count);

#endif

#endif
