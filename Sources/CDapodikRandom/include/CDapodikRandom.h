// The kernel's random bytes for DapodikCrypto: getrandom(2), which Swift's Glibc module does not
// declare (it does not include <sys/random.h>). Linux only; empty elsewhere (Apple platforms use
// arc4random_buf from Darwin).

#ifndef CDAPODIK_RANDOM_H
#define CDAPODIK_RANDOM_H

#include <stddef.h>

#if defined(__linux__)

#include <sys/types.h>

/// getrandom(2): at most `length` random bytes from the kernel's CSPRNG into `buffer`.
///
/// - Parameters:
///   - buffer: Where the bytes go.
///   - length: How many bytes are asked for.
///   - flags: getrandom's flags; 0 draws from the urandom source, blocking only until it is
///     initialized after boot.
/// - Returns: The number of bytes written (possibly fewer than `length`), or -1 with errno set
///   (EINTR when a signal interrupted the call).
ssize_t cdapodik_getrandom(void *buffer, size_t length, unsigned int flags);

#endif

#endif
