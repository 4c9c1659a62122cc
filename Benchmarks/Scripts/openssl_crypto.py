#!/usr/bin/env python3
"""OpenSSL's HMAC-SHA256 and PBKDF2-HMAC-SHA256, timed the way dapodik-bench times the Swift ones.

Python's hashlib and hmac call OpenSSL (``hashlib.pbkdf2_hmac`` runs all iterations in C;
``hmac.digest`` is the one-shot C path). Every operation is timed alone with a monotonic clock
after a warm-up; p50/p99 are nearest-rank on the sorted samples. Prints one JSON line per
measurement in dapodik-bench's result format.
"""
import argparse
import hashlib
import hmac
import json
import math
import re
import shutil
import ssl
import subprocess
import sys
import time


def statistics(samples_ns, wall_ns):
    """Nearest-rank percentiles of the per-call samples and throughput over the wall clock."""
    ordered = sorted(samples_ns)

    def percentile(fraction):
        rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
        return ordered[rank - 1] / 1000.0

    seconds = wall_ns / 1e9
    return {
        "operations": len(ordered),
        "seconds": seconds,
        "operationsPerSecond": len(ordered) / seconds if seconds > 0 else 0.0,
        "p50Microseconds": percentile(0.50),
        "p99Microseconds": percentile(0.99),
    }


def measure(operations, warm_up, body):
    """Times every call alone after the warm-up; also returns the calling thread's CPU time per call
    in microseconds (what a shared machine's other processes do not inflate as they do the wall clock)."""
    for _ in range(warm_up):
        body()
    clock = time.perf_counter_ns
    samples = []
    cpu_start = time.thread_time_ns()
    start = clock()
    for _ in range(operations):
        before = clock()
        body()
        samples.append(clock() - before)
    wall = clock() - start
    cpu_microseconds = (time.thread_time_ns() - cpu_start) / 1000.0 / max(1, operations)
    return statistics(samples, wall), {"cpuMicrosecondsPerOperation": cpu_microseconds}


def emit(scenario, variant, round_number, measured, notes, how="Python hashlib/hmac"):
    stats, figures = measured
    subject = ssl.OPENSSL_VERSION.split(" ")[0] + " " + ssl.OPENSSL_VERSION.split(" ")[1]
    line = {
        "scenario": scenario,
        "variant": variant,
        "subject": f"{subject} ({how})",
        "round": round_number,
        "statistics": stats,
        "figures": figures,
        "notes": notes,
    }
    print(json.dumps(line, sort_keys=True), flush=True)
    print(
        f"[{scenario} · {variant} · {line['subject']} · round {round_number}] "
        f"{stats['operationsPerSecond']:.1f} ops/s, p50 {stats['p50Microseconds']:.2f} µs, "
        f"p99 {stats['p99Microseconds']:.1f} µs, CPU {figures.get('cpuMicrosecondsPerOperation', 0):.2f} µs/op",
        file=sys.stderr,
    )


def speed_tool(round_number, seconds=3):
    """OpenSSL's own `openssl speed` on 64-byte HMAC-SHA256 messages: C code, no Python call, the key
    set once and reused. It reports throughput only (no per-operation samples), per second of CPU user
    time (its default; `-elapsed` would divide by the wall clock), so its time per operation is CPU time."""
    output = subprocess.run(
        ["openssl", "speed", "-seconds", str(seconds), "-bytes", "64", "-hmac", "sha256"],
        capture_output=True, text=True, check=True).stdout
    match = re.search(r"^hmac\(sha256\)\s+([0-9.]+)k", output, re.MULTILINE)
    if not match:
        print("openssl speed: no hmac(sha256) line", file=sys.stderr)
        return
    per_second = float(match.group(1)) * 1000 / 64
    stats = {"operations": int(per_second * seconds), "seconds": float(seconds), "operationsPerSecond": per_second,
             "p50Microseconds": 0.0, "p99Microseconds": 0.0}
    figures = {"cpuMicrosecondsPerOperation": 1e6 / per_second}
    emit("crypto.hmac", "HMAC-SHA256, 64-byte message", round_number, (stats, figures),
         {"call": f"openssl speed -seconds {seconds} -bytes 64 -hmac sha256",
          "percentiles": "not available: the speed tool reports throughput only"},
         how="openssl speed, C")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hmac", type=int, default=200_000, help="HMAC operations")
    parser.add_argument("--pbkdf2", type=int, default=5, help="PBKDF2 derivations")
    parser.add_argument("--iterations", type=int, default=600_000, help="PBKDF2 iterations")
    parser.add_argument("--round", type=int, default=1)
    arguments = parser.parse_args()

    key = bytes(range(32))
    message = bytes((i * 7) & 0xFF for i in range(64))
    empty, _ = measure(arguments.hmac, max(100, arguments.hmac // 20), lambda: None)
    measured = measure(arguments.hmac, max(100, arguments.hmac // 20), lambda: hmac.digest(key, message, "sha256"))
    emit("crypto.hmac", "HMAC-SHA256, 64-byte message", arguments.round, measured,
         {"call": "hmac.digest(key32, message64, 'sha256')",
          "overhead": f"includes one Python call; an empty call measures {empty['p50Microseconds']:.2f} µs p50"})

    if shutil.which("openssl"):
        speed_tool(arguments.round)

    password = b"Rahasia-Guru-2025!"
    salt = bytes(range(16))
    measured = measure(arguments.pbkdf2, 1,
                       lambda: hashlib.pbkdf2_hmac("sha256", password, salt, arguments.iterations, 32))
    emit("crypto.pbkdf2", f"PBKDF2-HMAC-SHA256, {arguments.iterations:,} iterations", arguments.round, measured,
         {"call": "hashlib.pbkdf2_hmac('sha256', password, salt16, iterations, 32)"})


if __name__ == "__main__":
    main()
