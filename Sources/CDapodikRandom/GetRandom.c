#include "CDapodikRandom.h"

#if defined(__linux__)

#include <sys/random.h>

ssize_t cdapodik_getrandom(void *buffer, size_t length, unsigned int flags) {
    return getrandom(buffer, length, flags);
}

#endif
