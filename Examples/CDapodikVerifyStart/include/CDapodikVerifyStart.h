// What dapodik-verify does before Swift's runtime starts: see StandardDescriptors.c.

#ifndef CDAPODIK_VERIFY_START_H
#define CDAPODIK_VERIFY_START_H

/// Which of the standard descriptors 0, 1 and 2 were closed when the program started (bit `1 << n`
/// for descriptor n). Each has been opened onto /dev/null since, before anything else ran.
int cdapodik_verify_closed_standard_descriptors(void);

#endif
