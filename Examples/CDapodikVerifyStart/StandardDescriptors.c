// A program started with standard input, output or error closed (`dapodik-verify ... >&-`) would
// hand that descriptor number to the next file it opens: Dispatch's event descriptor, or a file of
// the data directory, and what it prints would be written there. Before Swift's runtime opens
// anything, each closed one is opened onto /dev/null, and the fact is kept for the console, which
// reports the output as lost (Console.settle).

#include "CDapodikVerifyStart.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static int closed_at_start = 0;

__attribute__((constructor)) static void cdapodik_verify_open_standard_descriptors(void) {
    for (int descriptor = 0; descriptor <= 2; descriptor++) {
        if (fcntl(descriptor, F_GETFD) != -1 || errno != EBADF) continue;
        closed_at_start |= 1 << descriptor;
        // open(2) returns the lowest free descriptor, which is this one.
        int opened = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY);
        if (opened > descriptor) {
            dup2(opened, descriptor);
            close(opened);
        }
    }
}

int cdapodik_verify_closed_standard_descriptors(void) { return closed_at_start; }
