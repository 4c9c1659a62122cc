#!/usr/bin/env python3
"""Compares two builds of dapodik-bench on the durable cycle, interleaved, beside SQLite.

    Benchmarks/Scripts/ab_durable.py OLD NEW [--rounds 12] [--clients 8] [--cycles 400] [--dir DIR]

OLD and NEW are dapodik-bench binaries (copy `.build/release/dapodik-bench` aside after each build).
Each round probes the disk (4 KiB overwrite + fdatasync, p50), then runs OLD's and NEW's
`store-cycle --store file` and NEW's `sqlite-cycle` (the better of its two modes) one after the other,
in an order that rotates from round to round, each in a fresh directory. It prints each round, then
the medians, the median of the paired ratios NEW / OLD, and each build's median ratio to SQLite.

Why: on a shared virtual machine the disk's flush changes from minute to minute (PerformanceHistory.md,
thirteenth and fourteenth passes), so only builds measured in the same minutes can be compared.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile


def run_bench(command):
    """Runs a dapodik-bench command and returns its standard output; stops the comparison, saying why,
    when the program is missing or fails."""
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        sys.exit(f"ab_durable: no such program: {command[0]}")
    except subprocess.CalledProcessError as failure:
        sys.exit(f"ab_durable: {' '.join(command)} exited {failure.returncode}: {failure.stderr.strip()}")


def operations_per_second(command):
    """Runs a dapodik-bench command; returns the best operationsPerSecond among its JSON lines."""
    output = run_bench(command)
    rates = []
    for line in output.splitlines():
        if line.startswith("{"):
            rates.append(json.loads(line)["statistics"]["operationsPerSecond"])
    if not rates:
        sys.exit(f"ab_durable: no result from {' '.join(command)}")
    return max(rates)


def flush_p50(binary, directory):
    """The disk's 4 KiB overwrite + fdatasync p50, in microseconds."""
    for line in run_bench([binary, "fsync", "--dir", directory, "--operations", "300"]).splitlines():
        if line.startswith("{"):
            result = json.loads(line)
            if "fdatasync" in result["variant"]:
                return result["statistics"]["p50Microseconds"]
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--cycles", type=int, default=400, help="cycles per client")
    parser.add_argument("--dir", default=None, help="where the stores go (default: a temporary directory)")
    arguments = parser.parse_args()

    base = arguments.dir or tempfile.mkdtemp(prefix="ab-durable-")
    shape = ["--clients", str(arguments.clients), "--cycles", str(arguments.cycles)]

    def fresh():
        return tempfile.mkdtemp(dir=base)

    def run(which):
        directory = fresh()
        try:
            if which == "sqlite":
                return operations_per_second([arguments.new, "sqlite-cycle", "--dir", directory] + shape)
            binary = arguments.old if which == "old" else arguments.new
            return operations_per_second([binary, "store-cycle", "--store", "file", "--dir", directory] + shape)
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    orders = [("old", "new", "sqlite"), ("new", "sqlite", "old"), ("sqlite", "old", "new")]
    rows = []
    print("round  flush p50  SQLite  old  new  new/old  old/SQLite  new/SQLite")
    try:
        for number in range(arguments.rounds):
            probe_directory = fresh()
            flush = flush_p50(arguments.new, probe_directory)
            shutil.rmtree(probe_directory, ignore_errors=True)
            results = {which: run(which) for which in orders[number % len(orders)]}
            rows.append(results)
            print(
                f"{number + 1:5d}  {flush:6.0f} µs  {results['sqlite']:6.0f}  {results['old']:6.0f}"
                f"  {results['new']:6.0f}  {results['new'] / results['old']:.2f}"
                f"  {results['old'] / results['sqlite']:.2f}  {results['new'] / results['sqlite']:.2f}",
                flush=True,
            )
    finally:
        if arguments.dir is None:
            shutil.rmtree(base, ignore_errors=True)

    def median(key):
        return statistics.median(key(row) for row in rows)

    faster = sum(1 for row in rows if row["new"] > row["old"])
    print(
        f"medians: SQLite {median(lambda r: r['sqlite']):.0f}, old {median(lambda r: r['old']):.0f},"
        f" new {median(lambda r: r['new']):.0f} cycles/s"
    )
    print(f"new/old: median of the paired ratios {median(lambda r: r['new'] / r['old']):.2f} (faster in {faster} of {len(rows)})")
    print(
        f"against SQLite, median of the rounds' ratios: old {median(lambda r: r['old'] / r['sqlite']):.2f},"
        f" new {median(lambda r: r['new'] / r['sqlite']):.2f}"
    )


if __name__ == "__main__":
    sys.exit(main())
