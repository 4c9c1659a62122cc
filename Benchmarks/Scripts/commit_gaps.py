#!/usr/bin/env python3
"""Where the time between two commit groups goes: traces a durable benchmark run and splits each gap.

    Benchmarks/Scripts/commit_gaps.py BENCH store-cycle --store file --dir DIR --clients 8 --cycles 400

Runs the command under `perf record` with the tracepoints of `pwrite64`, `fdatasync` and the
scheduler's context switches (needs `perf` and the right to trace: root, or a low
`kernel.perf_event_paranoid`). A gap runs from a group's `fdatasync` returning to the next group's
`pwrite64`; for each, it counts the time the thread that flushed spent off its CPU, preempted
(runnable) or asleep (in a wait for returning commits, or idle), and the rest, on its CPU (publishing
the group, waking its callers, checking and encoding the next one). It prints the flushes, the gaps and
that split: the ceiling of any change that overlaps the committer's work with the flush.

Why: PerformanceHistory.md, fifteenth pass (the gap was the committer's own work, p50 67–75 µs, against a flush
of 164–210 µs).
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile

EVENT = re.compile(r"\s*.+?\s+(\d+)\s+\[\d+\]\s+([\d.]+):\s+(\S+):\s*(.*)")
SWITCH = re.compile(r"prev_pid=(\d+) .*prev_state=(\S+) ==> .*next_pid=(\d+)")
TRACEPOINTS = [
    "syscalls:sys_enter_pwrite64",
    "syscalls:sys_enter_fdatasync",
    "syscalls:sys_exit_fdatasync",
    "sched:sched_switch",
]


def trace(command):
    """Runs the command under `perf record`; returns its standard output and the decoded events, each
    (seconds, thread, event, details), in time order. Stops, saying why, when perf or the command fails."""
    with tempfile.TemporaryDirectory(prefix="commit-gaps-") as directory:
        data = os.path.join(directory, "perf.data")
        record = ["perf", "record", "-q", "-o", data]
        for tracepoint in TRACEPOINTS:
            record += ["-e", tracepoint]
        try:
            run = subprocess.run(record + command, capture_output=True, text=True)
        except FileNotFoundError:
            sys.exit("commit_gaps: perf is not installed")
        if run.returncode != 0:
            sys.exit(f"commit_gaps: {' '.join(record + command)} exited {run.returncode}: {(run.stderr or run.stdout).strip()}")
        script = subprocess.run(["perf", "script", "-i", data], capture_output=True, text=True)
        if script.returncode != 0:
            sys.exit(f"commit_gaps: perf script exited {script.returncode}: {script.stderr.strip()}")
    events = []
    for line in script.stdout.splitlines():
        match = EVENT.match(line)
        if match:
            thread, seconds, name, details = match.groups()
            events.append((float(seconds), int(thread), name, details))
    events.sort()
    return run.stdout, events


def split_gap(events, start, thread):
    """From the flush that returned at events[start] on `thread` to the next `pwrite64`: the gap's
    length and the flushing thread's time preempted and asleep in it, in seconds; `None` at the end."""
    preempted = asleep = 0.0
    off_since = off_state = None
    returned = events[start][0]
    for seconds, _, name, details in events[start + 1:]:
        if name == "syscalls:sys_enter_pwrite64":
            if off_since is not None:
                if off_state.startswith("R"):
                    preempted += seconds - off_since
                else:
                    asleep += seconds - off_since
            return seconds - returned, preempted, asleep
        if name != "sched:sched_switch":
            continue
        switch = SWITCH.search(details)
        if not switch:
            continue
        previous, state, following = int(switch.group(1)), switch.group(2), int(switch.group(3))
        if previous == thread and off_since is None:
            off_since, off_state = seconds, state
        elif following == thread and off_since is not None:
            if off_state.startswith("R"):
                preempted += seconds - off_since
            else:
                asleep += seconds - off_since
            off_since = None
    return None


def microseconds(values, quantile):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1e6


def main():
    command = sys.argv[1:]
    if not command:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    output, events = trace(command)
    rate = re.search(r'"operationsPerSecond":([\d.]+)', output)
    flushes, gaps, entered = [], [], {}
    for index, (seconds, thread, name, _) in enumerate(events):
        if name == "syscalls:sys_enter_fdatasync":
            entered[thread] = seconds
        elif name == "syscalls:sys_exit_fdatasync" and thread in entered:
            flushes.append(seconds - entered.pop(thread))
            gap = split_gap(events, index, thread)
            if gap:
                gaps.append(gap)
    if not flushes or not gaps:
        sys.exit("commit_gaps: no flush followed by a write was traced (is the store on a disk?)")
    span = events[-1][0] - events[0][0]
    lengths = [gap[0] for gap in gaps]
    on_cpu = [gap[0] - gap[1] - gap[2] for gap in gaps]
    print(f"{float(rate.group(1)):.0f} cycles/s" if rate else "no rate in the command's output")
    print(
        f"flushes: {len(flushes)}, p50 {microseconds(flushes, 0.5):.0f} µs, p90 {microseconds(flushes, 0.9):.0f} µs;"
        f" {sum(flushes) / span:.0%} of the run's {span * 1e3:.0f} ms"
    )
    print(
        f"gaps: p50 {microseconds(lengths, 0.5):.0f} µs, mean {statistics.mean(lengths) * 1e6:.0f} µs;"
        f" {sum(lengths) / span:.0%} of the run"
    )
    print(
        f"  the flushing thread on its CPU: p50 {microseconds(on_cpu, 0.5):.0f} µs,"
        f" mean {statistics.mean(on_cpu) * 1e6:.0f} µs, {sum(on_cpu) * 1e3:.1f} ms in all"
    )
    print(f"  preempted: {sum(gap[1] for gap in gaps) * 1e3:.1f} ms in {sum(gap[1] > 0 for gap in gaps)} gaps")
    print(f"  asleep: {sum(gap[2] for gap in gaps) * 1e3:.1f} ms in {sum(gap[2] > 0 for gap in gaps)} gaps")


if __name__ == "__main__":
    sys.exit(main())
