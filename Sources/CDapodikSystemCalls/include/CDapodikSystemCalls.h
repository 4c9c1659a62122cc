// Calls DapodikMail needs that Swift's Glibc module does not declare (they are GNU extensions,
// declared only with _GNU_SOURCE): for the sendmail child, pipe2(2) with O_CLOEXEC and
// posix_spawn_file_actions_addclosefrom_np(3); for the bounce Maildir, renameat2(2) with
// RENAME_NOREPLACE.

#ifndef CDAPODIK_SYSTEM_CALLS_H
#define CDAPODIK_SYSTEM_CALLS_H

#include <spawn.h>

/// Creates a pipe whose two ends are close-on-exec from the start (no window in which a child
/// started by another thread could inherit them).
///
/// - Parameter descriptors: Receives the read end, then the write end.
/// - Returns: 0, or -1 with errno set.
int cdapodik_pipe_cloexec(int descriptors[2]);

/// Adds to `actions` the closing of every descriptor from `lowest` up, in the child, before it runs
/// the program.
///
/// - Returns: 0, or an error number: ENOSYS where the C library has no such action (the caller
///   then relies on close-on-exec alone).
int cdapodik_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// Renames `source` to `destination` unless `destination` exists, atomically.
///
/// - Returns: 0, or -1 with errno set: EEXIST when `destination` exists, ENOENT when `source` does
///   not; ENOSYS or EINVAL where the system cannot refuse to replace (the caller decides then).
int cdapodik_rename_no_replace(const char *source, const char *destination);

#endif
