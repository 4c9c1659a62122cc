#!/usr/bin/env python3
"""Python's smtplib sending the messages dapodik-bench's `smtp` scenario sends, over one TLS connection.

Usage: smtplib_send.py --port P --ca CA.pem --user U --messages N --warm-up W [--round R]
The password comes from DAPODIK_BENCH_SMTP_PASSWORD. Implicit TLS (SMTP_SSL) with the CA, one login,
then every message on the same connection, each timed alone; prints one JSON line in dapodik-bench's
result format.
"""
import argparse
import json
import os
import smtplib
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from openssl_crypto import statistics  # noqa: E402

FILLER = "Kode ini berlaku 30 menit. Jangan berikan kepada siapa pun.\r\n" * 12


def message(n):
    """The same bytes as SMTPSubmission.message(n) in Sources/dapodik-bench/SMTPSubmission.swift."""
    return (
        "From: Dapodik <noreply@dapodik.test>\r\nTo: guru.siti@sekolah.test\r\n"
        f"Subject: Kode verifikasi Dapodik\r\nMessage-ID: <bench-{n}@dapodik.test>\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=us-ascii\r\n\r\nKode verifikasi Anda:\r\n{100000 + n}\r\n" + FILLER
    ).encode("ascii")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--messages", type=int, required=True)
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument("--round", type=int, default=1)
    options = parser.parse_args()
    context = ssl.create_default_context(cafile=options.ca)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    messages = [message(n) for n in range(options.warm_up + options.messages)]
    with smtplib.SMTP_SSL("127.0.0.1", options.port, local_hostname="bench.dapodik.test", context=context) as smtp:
        smtp.login(options.user, os.environ.get("DAPODIK_BENCH_SMTP_PASSWORD", ""))
        for n in range(options.warm_up):
            smtp.sendmail("noreply@dapodik.test", ["guru.siti@sekolah.test"], messages[n])
        clock = time.perf_counter_ns
        samples = []
        start = clock()
        for n in range(options.warm_up, options.warm_up + options.messages):
            before = clock()
            smtp.sendmail("noreply@dapodik.test", ["guru.siti@sekolah.test"], messages[n])
            samples.append(clock() - before)
        wall = clock() - start
    stats = statistics(samples, wall)
    line = {
        "scenario": "smtp.submission",
        "variant": "1 TLS connection (implicit TLS, AUTH PLAIN)",
        "subject": f"Python {sys.version.split()[0]} smtplib",
        "round": options.round,
        "statistics": stats,
        "figures": {"connections": 1.0, "bytesPerMessage": float(len(messages[0]))},
        "notes": {"server": "aiosmtpd on 127.0.0.1 (Tests/DapodikSMTPTests/Python/tls_server.py)"},
    }
    print(json.dumps(line, sort_keys=True), flush=True)
    print(
        f"[smtp.submission · smtplib · round {options.round}] {stats['operationsPerSecond']:.1f} msg/s, "
        f"p50 {stats['p50Microseconds']:.0f} µs, p99 {stats['p99Microseconds']:.0f} µs",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
