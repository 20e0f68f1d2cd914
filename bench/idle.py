#!/usr/bin/env python3
"""Idle cost of loading the extension: runs `php -n -r ''` without and with
the extension in interleaved pairs (the order inside each pair drawn at
random), so that a slow stretch of a shared machine hits both the same way.
Wall time from spawn to exit, and the CPU time (user + system) the kernel
accounted to the child.

A third variant loads calendar.so, one of PHP's own small extensions (no
request hooks, no dependencies): what loading any extension at all costs.
With --empty, a Rust extension with nothing in it (bench/empty-ext) joins
them as "empty": what loading any ext-php-rs extension costs.

With --also, another build of the extension joins them as the variant
"also" (scripts/bench.sh --also).

Usage: python3 bench/idle.py SO PAIRS ROUND_LABEL [--empty SO] [--also SO] >> idle.tsv
Prints TSV lines: round  variant  wall_us  cpu_us   (one line per run)
"""

import argparse
import os
import random
import time


def run(argv):
    started = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter_ns() - started) / 1000
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed")
    return wall, (usage.ru_utime + usage.ru_stime) * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("so")
    parser.add_argument("pairs", type=int)
    parser.add_argument("label")
    parser.add_argument("--empty")
    parser.add_argument("--also")
    args = parser.parse_args()
    php = "/usr/bin/php"
    variants = {
        "without": [php, "-n", "-r", ""],
        "with": [php, "-n", "-d", f"extension={args.so}", "-r", ""],
        "calendar": [php, "-n", "-d", "extension=calendar", "-r", ""],
    }
    for name in ("empty", "also"):
        if getattr(args, name):
            variants[name] = [php, "-n", "-d", f"extension={getattr(args, name)}", "-r", ""]
    for argv in variants.values():  # warm the page cache
        for _ in range(5):
            run(argv)
    lines = []
    for _ in range(args.pairs):  # one run of each variant, shuffled
        order = list(variants)
        random.shuffle(order)
        for name in order:
            wall, cpu = run(variants[name])
            lines.append(f"{args.label}\t{name}\t{wall:.1f}\t{cpu:.1f}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
