#!/usr/bin/env bash
# Two processes committing to one file store at once, with two builds of the package's StorageProbe
# side by side (say, before and after a change to how the store waits for LOCK), interleaved and
# alternating which goes first. Each process runs C tasks committing N single puts (keys prefixed
# a/b so that the processes never conflict); the line gives the wall time of the pair and each
# process's commits/s.
#
#   swift build -c release --product StorageProbe --scratch-path /tmp/a-build   # in each checkout
#   Benchmarks/Scripts/lock_contention.sh /tmp/a-build/release/StorageProbe \
#       /tmp/b-build/release/StorageProbe CLIENTS COMMITS ROUNDS [DIR]
set -euo pipefail
first=$1 second=$2 clients=$3 per=$4 rounds=$5
base=${6:-$(mktemp -d)}
for round in $(seq 1 "$rounds"); do
    order=("$first" "$second")
    [ $((round % 2)) = 0 ] && order=("$second" "$first")
    for probe in "${order[@]}"; do
        dir="$base/store"
        rm -rf "$dir"
        start=$(date +%s.%N)
        "$probe" throughput "$dir" "$clients" "$per" a > "$base/a.txt" &
        a=$!
        "$probe" throughput "$dir" "$clients" "$per" b > "$base/b.txt" &
        b=$!
        wait "$a" "$b"
        end=$(date +%s.%N)
        printf 'round %s %s clients=%s commits=%s wall=%.3f s a: %s b: %s\n' "$round" "$probe" "$clients" "$per" \
            "$(echo "$end - $start" | bc)" "$(cat "$base/a.txt")" "$(cat "$base/b.txt")"
    done
done
rm -rf "$base/store"
