#!/usr/bin/env python3
"""Summarises the raw files scripts/bench.sh wrote into RESULTS_DIR: prints
the table (Markdown), writes it to RESULTS_DIR/results.md, and draws the
charts as plain SVG (no plotting library).

Usage: python3 bench/report.py RESULTS_DIR DOCS_DIR

Raw files (every measurement is run in several rounds; a figure is the
median over the rounds of that round's statistic, a ratio is taken inside
each round and then the median over rounds):
  percall-<mode>/<client>-<round>.txt  `add <us>` / `remove <us>` per call
  percall-<mode>/connections.tsv       client  round  connections  requests
  idle.tsv                             round  variant  wall_us  cpu_us
  fpm-idle.tsv                         round  variant  wall_us  worker_cpu_us
  rss.tsv                              mode  VmRSS  VmHWM  RssAnon  RssFile (kB)
  threads.tsv                          label  tasks
  bulk.tsv                             mode  domains  concurrency  seconds  failures  done
  fpm.tsv                              label  requests  api_requests  connections
  machine.tsv                          key  value
BENCH_ALSO_LABEL names the --also build.
"""

import math
import os
import statistics
import sys
from html import escape

CLIENTS = [
    ("floor", "Rust floor (std::net, keep-alive)"),
    ("ext", "closte extension"),
    ("also", os.environ.get("BENCH_ALSO_LABEL") or "closte extension, --also build"),
    ("wp", "wp_remote_post (WordPress 6.1)"),
]


def percentile(sorted_values, q):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [line.split() for line in handle if line.strip() and not line.startswith("#")]


MODES = [
    ("same-cpu", "Simulator and client on one CPU (what each client itself costs)"),
    ("cross-cpu", "Simulator on CPU 1, client on CPU 0 (every answer wakes the other vCPU)"),
]
CHART_TITLES = {"same-cpu": "simulator and client on one CPU", "cross-cpu": "simulator on CPU 1, client on CPU 0"}


def percall(directory):
    """client -> dict(median, p99, rounds, calls, by_round) in microseconds."""
    out = {}
    if not os.path.isdir(directory):
        return out
    for client, _ in CLIENTS:
        by_round, calls = {}, 0
        for name in os.listdir(directory):
            if not (name.startswith(f"{client}-") and name.endswith(".txt")):
                continue
            round_label = name[len(f"{client}-"):-4]
            samples = sorted(float(v) for _, v in read_lines(os.path.join(directory, name)))
            if samples:
                by_round[round_label] = (statistics.median(samples), percentile(samples, 99))
                calls = len(samples)
        if by_round:
            medians = [m for m, _ in by_round.values()]
            out[client] = {
                "median": statistics.median(medians),
                "p99": statistics.median(p for _, p in by_round.values()),
                "rounds": len(by_round),
                "calls": calls,
                "spread": (min(medians), max(medians)),
                "by_round": by_round,
            }
    return out


def round_ratio(pc, a, b, index):
    """Median over rounds of a's statistic over b's in the same round."""
    common = sorted(set(pc[a]["by_round"]) & set(pc[b]["by_round"]))
    ratios = [pc[a]["by_round"][r][index] / pc[b]["by_round"][r][index] for r in common]
    return statistics.median(ratios), min(ratios), max(ratios)


def idle(results):
    """Median wall and CPU time of each variant over all runs (the runs are
    interleaved, so a slow stretch of the machine hits every variant alike),
    the ratios of those medians to `without`, and the range of the same
    ratio computed round by round."""
    runs, rounds = {}, {}
    for label, variant, wall, cpu in simple_table(results, "idle.tsv"):
        runs.setdefault(variant, []).append((float(wall), float(cpu)))
        rounds.setdefault(label, {}).setdefault(variant, []).append(float(wall))
    if "without" not in runs:
        return None
    base_wall = statistics.median(w for w, _ in runs["without"])
    base_cpu = statistics.median(c for _, c in runs["without"])
    out = {"rounds": len(rounds), "runs": sum(len(v) for v in runs.values())}
    for variant, values in runs.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        per_round = [statistics.median(r[variant]) / statistics.median(r["without"])
                     for r in rounds.values() if variant in r and "without" in r]
        out[variant] = {
            "wall_ms": wall / 1000,
            "cpu_ms": cpu / 1000,
            "wall_ratio": wall / base_wall,
            "wall_ratio_spread": (min(per_round), max(per_round)),
            "cpu_ratio": cpu / base_cpu,
        }
    return out


def rss(results):
    path = os.path.join(results, "rss.tsv")
    if not os.path.exists(path):
        return None
    by_mode = {}
    for mode, *values in read_lines(path):
        by_mode.setdefault(mode, []).append([int(v) for v in values])
    # kB -> median per field: VmRSS, VmHWM, RssAnon, RssFile
    return {m: [statistics.median(col) for col in zip(*rows)] for m, rows in by_mode.items()}


def simple_table(results, name):
    path = os.path.join(results, name)
    return read_lines(path) if os.path.exists(path) else []


def bulk(results):
    """(mode, domains, concurrency) -> median seconds, max failures, done."""
    groups = {}
    for mode, domains, conc, seconds, failures, done in simple_table(results, "bulk.tsv"):
        key = (mode, int(domains), int(conc))
        groups.setdefault(key, []).append((float(seconds), int(failures), int(done)))
    return {
        key: {
            "seconds": statistics.median(s for s, _, _ in runs),
            "failures": max(f for _, f, _ in runs),
            "done": min(d for _, _, d in runs),
            "runs": len(runs),
        }
        for key, runs in groups.items()
    }


def fmt_us(value):
    return f"{value / 1000:.2f} ms" if value >= 1000 else f"{value:.0f} µs"


def verdict(ok):
    return "**met**" if ok else "**NOT met**"


def percall_rows(pc, directory, title):
    rows = [f"#### {title}\n"]
    conns = {}
    for client, _, connections, requests in simple_table(directory, "connections.tsv"):
        conns.setdefault(client, []).append((int(connections), int(requests)))
    rows.append("| client | median | p99 | rounds × calls | TCP connections per run (API requests) |")
    rows.append("|---|---:|---:|---:|---:|")
    for client, label in CLIENTS:
        if client in pc:
            r = pc[client]
            c = conns.get(client)
            c_text = f"{max(x for x, _ in c)} ({max(y for _, y in c)})" if c else "–"
            rows.append(f"| {label} | {fmt_us(r['median'])} | {fmt_us(r['p99'])} | {r['rounds']} × {r['calls']} | {c_text} |")
    if {"ext", "wp", "floor"} <= pc.keys():
        speedup, s_lo, s_hi = round_ratio(pc, "wp", "ext", 0)
        speedup99 = round_ratio(pc, "wp", "ext", 1)[0]
        over_floor, f_lo, f_hi = round_ratio(pc, "ext", "floor", 0)
        over_floor99 = round_ratio(pc, "ext", "floor", 1)[0]
        rows.append("")
        rows.append(f"- wp_remote_post / extension: **{speedup:.1f}x** at the median (rounds {s_lo:.1f}–{s_hi:.1f}), "
                    f"{speedup99:.1f}x at p99 (target ≥ 3x: {verdict(speedup >= 3)})")
        rows.append(f"- extension / floor: **{over_floor:.2f}x** at the median (rounds {f_lo:.2f}–{f_hi:.2f}), "
                    f"{over_floor99:.2f}x at p99 (target ≤ 1.5x: {verdict(over_floor <= 1.5)})")
        if "also" in pc:
            a_wp, a_floor = round_ratio(pc, "wp", "also", 0), round_ratio(pc, "also", "floor", 0)
            rows.append(f"- {dict(CLIENTS)['also']}: wp_remote_post / it **{a_wp[0]:.1f}x** (rounds {a_wp[1]:.1f}–{a_wp[2]:.1f}), "
                        f"it / floor **{a_floor[0]:.2f}x** (rounds {a_floor[1]:.2f}–{a_floor[2]:.2f}), "
                        f"{round_ratio(pc, 'also', 'floor', 1)[0]:.2f}x at p99")
    rows.append("")
    return rows


def build_table(results):
    rows = []
    pcs = {}
    for mode, title in MODES:
        directory = os.path.join(results, f"percall-{mode}")
        pc = percall(directory)
        if pc:
            if not pcs:
                rows.append("### 1. Per call (one `adddomainalias` or `deletedomainalias`, loopback simulator)\n")
                rows.append("Ratios are taken round by round (clients measured back to back), then the median over rounds.\n")
            pcs[mode] = pc
            rows += percall_rows(pc, directory, title)

    idl = idle(results)
    mem = rss(results)
    threads = simple_table(results, "threads.tsv")
    if idl or mem or threads:
        rows.append("### 2. Idle cost (a PHP request that never calls the extension)\n")
        rows.append("| measure | without | with extension | difference | target |")
        rows.append("|---|---:|---:|---:|---|")
        if idl and "with" in idl:
            w, c = idl["with"], idl.get("calendar")
            rows.append(f"| wall time of `php -n -r ''` ({idl['rounds']} rounds, {idl['runs']} runs interleaved) | "
                        f"{idl['without']['wall_ms']:.2f} ms | {w['wall_ms']:.2f} ms | "
                        f"ratio **{w['wall_ratio']:.3f}** (by round {w['wall_ratio_spread'][0]:.3f}–{w['wall_ratio_spread'][1]:.3f}) | "
                        f"≤ 1.02: {verdict(w['wall_ratio'] <= 1.02)} |")
            rows.append(f"| CPU time (user + system) of the same runs | {idl['without']['cpu_ms']:.2f} ms | {w['cpu_ms']:.2f} ms | "
                        f"ratio {w['cpu_ratio']:.3f} | |")
            a = idl.get("also")
            if a:
                rows.append(f"| the --also build ({dict(CLIENTS)['also']}) instead | "
                            f"{idl['without']['wall_ms']:.2f} ms | {a['wall_ms']:.2f} ms | ratio {a['wall_ratio']:.3f} "
                            f"(by round {a['wall_ratio_spread'][0]:.3f}–{a['wall_ratio_spread'][1]:.3f}), CPU {a['cpu_ratio']:.3f} | |")
            if c:
                rows.append(f"| reference: `-d extension=calendar` instead (PHP's own small extension) | "
                            f"{idl['without']['wall_ms']:.2f} ms | {c['wall_ms']:.2f} ms | ratio {c['wall_ratio']:.3f}, "
                            f"CPU {c['cpu_ratio']:.3f} | |")
            e = idl.get("empty")
            if e:
                rows.append(f"| reference: a Rust extension with nothing in it (`bench/empty-ext`, ext-php-rs) instead | "
                            f"{idl['without']['wall_ms']:.2f} ms | {e['wall_ms']:.2f} ms | ratio {e['wall_ratio']:.3f} "
                            f"(by round {e['wall_ratio_spread'][0]:.3f}–{e['wall_ratio_spread'][1]:.3f}), "
                            f"CPU {e['cpu_ratio']:.3f} | |")
        fpm_idle = simple_table(results, "fpm-idle.tsv")
        if fpm_idle:
            by_round = {}
            for label, variant, us, *cpu in fpm_idle:
                by_round.setdefault(label, {})[variant] = (float(us), float(cpu[0]) if cpu else None)
            pairs = [r for r in by_round.values() if {"without", "with"} <= r.keys()]
            if pairs:
                a = statistics.median(r["without"][0] for r in pairs)
                b = statistics.median(r["with"][0] for r in pairs)
                ratio = b / a
                rows.append(f"| PHP-FPM request of a script that does not call it: wall time per request, client included "
                            f"({len(pairs)} alternating batch pairs; the baseline pool loads calendar.so) | "
                            f"{a:.0f} µs | {b:.0f} µs | ratio {ratio:.3f} (of the medians; noisy: mostly the client) | |")
                if all(r["with"][1] is not None for r in pairs):
                    a = statistics.median(r["without"][1] for r in pairs)
                    b = statistics.median(r["with"][1] for r in pairs)
                    ratio = b / a
                    rows.append(f"| the same requests: CPU time of the FPM worker per request (/proc/PID/schedstat) | "
                                f"{a:.1f} µs | {b:.1f} µs | ratio **{ratio:.3f}** (of the medians) | ≤ 1.02: {verdict(ratio <= 1.02)} |")
        if mem and {"base", "ext"} <= mem.keys():
            base, ext = mem["base"], mem["ext"]
            names = ["VmRSS at the end of the script", "VmHWM (peak)", "RssAnon (private to the process)",
                     "RssFile (pages of mapped files, shared between processes)"]
            for i, name in enumerate(names[: len(base)]):
                diff = (ext[i] - base[i]) / 1024
                target = f"≤ 1 MiB: {verdict(diff <= 1)}" if i in (0, 2) else ""
                bold = f"**{diff:+.2f} MiB**" if i in (0, 2) else f"{diff:+.2f} MiB"
                rows.append(f"| {name} | {base[i] / 1024:.2f} MiB | {ext[i] / 1024:.2f} MiB | {bold} | {target} |")
            if "also" in mem:
                also = mem["also"]
                rows.append(f"| VmRSS / RssAnon with the --also build instead | | {also[0] / 1024:.2f} / {also[2] / 1024:.2f} MiB | "
                            f"{(also[0] - base[0]) / 1024:+.2f} / {(also[2] - base[2]) / 1024:+.2f} MiB | |")
        for label, tasks in threads:
            rows.append(f"| threads (/proc/self/task) {label.replace('_', ' ')} | | {tasks} | | |")
        rows.append("")

    bk = bulk(results)
    if bk:
        rows.append("### 3. Bulk: 20 ms added by the simulator to every API call\n")
        rows.append("| domains | `closte_sync_domains`, concurrency 16 | failures | sequential `closte_add_domain` from PHP | speed-up |")
        rows.append("|---:|---:|---:|---:|---:|")
        sizes = sorted({d for (_, d, _) in bk})
        seq_rate = None
        for (mode, d, _), r in sorted(bk.items()):
            if mode == "seq" and r["done"]:
                rate = r["seconds"] / r["done"]
                seq_rate = rate if seq_rate is None else seq_rate
        for d in sizes:
            sync = next((r for (m, n, c), r in bk.items() if m == "sync" and n == d), None)
            seq = next((r for (m, n, c), r in bk.items() if m == "seq" and n == d), None)
            if sync is None:
                continue
            if seq is not None:
                seq_text, seq_s = f"{seq['seconds']:.1f} s (measured, {seq['failures']} failures)", seq["seconds"]
            elif seq_rate is not None:
                seq_s = seq_rate * d
                seq_text = f"≈ {seq_s:.0f} s (extrapolated)"
            else:
                seq_text, seq_s = "–", None
            speed = f"**{seq_s / sync['seconds']:.1f}x**" if seq_s else "–"
            rows.append(f"| {d:,} | {sync['seconds']:.2f} s ({d / sync['seconds']:.0f}/s) | {sync['failures']} | {seq_text} | {speed} |")
        seq_measured = [(n, r) for (m, n, _), r in bk.items() if m == "seq"]
        for n, r in seq_measured:
            if n not in sizes:
                rows.append(f"| (sequential sample) {n:,} | | | {r['seconds']:.1f} s, {r['failures']} failures "
                            f"({1000 * r['seconds'] / max(r['done'], 1):.1f} ms per domain) | |")
        for (m, n, _), r in bk.items():
            if m == "sync_also":
                rows.append(f"| {n:,} with the --also build | {r['seconds']:.2f} s ({n / r['seconds']:.0f}/s) | {r['failures']} | | |")
        sync5k = next((r for (m, n, c), r in bk.items() if m == "sync" and n == 5000), None)
        if sync5k and seq_rate:
            speed = seq_rate * 5000 / sync5k["seconds"]
            rows.append("")
            rows.append(f"- 5,000 domains: **{speed:.1f}x** faster than sequential, {sync5k['failures']} failures "
                        f"(target ≥ 10x with 0 failures: {verdict(speed >= 10 and sync5k['failures'] == 0)})")
        rows.append("")

    fpm = simple_table(results, "fpm.tsv")
    if fpm:
        rows.append("### 4. Connection reuse inside one PHP-FPM worker\n")
        rows.append("| run | PHP-FPM requests (each one `closte_add_domain`) | API requests at the simulator | TCP connections at the simulator |")
        rows.append("|---|---:|---:|---:|")
        for row in fpm:
            label, requests, api, conns = row[0], row[1], row[2], row[3]
            rows.append(f"| {label.replace('_', ' ')} | {requests} | {api} | **{conns}** |")
        rows.append("")
    return "\n".join(rows), pcs, bk


# --------------------------------------------------------------------- SVG

FONT = "font-family='DejaVu Sans, Helvetica, Arial, sans-serif'"


def svg_percall(pcs, path):
    if not pcs:
        return
    width, left, right, bar, gap, panel_head = 780, 250, 120, 14, 10, 30
    all_pc = list(pcs.values())
    lo = 10 ** math.floor(math.log10(min(p[c]["median"] for p in all_pc for c in p)))
    hi = 10 ** math.ceil(math.log10(max(p[c]["p99"] for p in all_pc for c in p)))

    def px(us):
        return left + (math.log10(max(us, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (width - left - right)

    heights = [panel_head + len(p) * (2 * bar + gap) + 44 for p in all_pc]
    height = 50 + sum(heights)
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}' {FONT}>",
           f"<rect width='{width}' height='{height}' fill='white'/>",
           f"<text x='{width / 2}' y='22' font-size='16' text-anchor='middle' font-weight='bold'>Per call on loopback (lower is better, log scale)</text>",
           f"<text x='{width / 2}' y='40' font-size='12' text-anchor='middle' fill='#555'>one adddomainalias or deletedomainalias; "
           f"dark: median, light: p99 (medians over rounds)</text>"]
    colors = {"floor": "#7f8c8d", "ext": "#c0392b", "also": "#e67e22", "wp": "#2c3e50"}
    y0 = 50
    for (mode, title), h in zip([m for m in MODES if m[0] in pcs], heights):
        pc = pcs[mode]
        out.append(f"<text x='{left}' y='{y0 + 18}' font-size='13' font-weight='bold'>{escape(CHART_TITLES.get(mode, title))}</text>")
        top = y0 + panel_head
        axis_y = top + len(pc) * (2 * bar + gap)
        decade = lo
        while decade <= hi * 1.0001:
            x = px(decade)
            out.append(f"<line x1='{x:.1f}' y1='{top - 4}' x2='{x:.1f}' y2='{axis_y + 5}' stroke='#ddd'/>")
            out.append(f"<text x='{x:.1f}' y='{axis_y + 17}' font-size='11' text-anchor='middle'>{escape(fmt_us(decade))}</text>")
            decade *= 10
        y = top
        for client, label in CLIENTS:
            if client not in pc:
                continue
            r = pc[client]
            for stat, opacity in (("median", 1.0), ("p99", 0.4)):
                w = max(1.0, px(r[stat]) - left)
                out.append(f"<rect x='{left}' y='{y}' width='{w:.1f}' height='{bar}' fill='{colors[client]}' fill-opacity='{opacity}'/>")
                out.append(f"<text x='{left + w + 6:.1f}' y='{y + bar - 3}' font-size='11'>{stat} {escape(fmt_us(r[stat]))}</text>")
                y += bar
            out.append(f"<text x='{left - 8}' y='{y - bar + 4}' font-size='12' text-anchor='end'>{escape(label)}</text>")
            y += gap
        out.append(f"<line x1='{left}' y1='{axis_y}' x2='{width - right}' y2='{axis_y}' stroke='#333'/>")
        out.append(f"<line x1='{left}' y1='{top - 4}' x2='{left}' y2='{axis_y}' stroke='#333'/>")
        if {"ext", "wp", "floor"} <= pc.keys():
            note = (f"extension: {round_ratio(pc, 'wp', 'ext', 0)[0]:.1f}x faster than wp_remote_post, "
                    f"{round_ratio(pc, 'ext', 'floor', 0)[0]:.2f}x the floor")
            if "also" in pc:
                note += (f"; {os.environ.get('BENCH_ALSO_LABEL') or '--also build'}: {round_ratio(pc, 'wp', 'also', 0)[0]:.1f}x and "
                         f"{round_ratio(pc, 'also', 'floor', 0)[0]:.2f}x")
            out.append(f"<text x='{(left + width - right) / 2}' y='{axis_y + 34}' font-size='11' text-anchor='middle' fill='#333'>{escape(note)}</text>")
        y0 += h
    out.append("</svg>")
    write(path, out)


def nice_step(raw):
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= raw:
            return m * magnitude
    return 10 * magnitude


def svg_bulk(bk, path):
    sync = sorted((n, r["seconds"]) for (m, n, _), r in bk.items() if m == "sync")
    if not sync:
        return
    seq_runs = [(n, r) for (m, n, _), r in bk.items() if m == "seq" and r["done"]]
    rate = statistics.median(r["seconds"] / r["done"] for _, r in seq_runs) if seq_runs else None
    measured = {n for n, _ in seq_runs}
    width, height, left, right, top, bottom = 760, 380, 80, 200, 56, 56
    values = [s for _, s in sync] + ([rate * n for n, _ in sync] if rate else [])
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    xs = [n for n, _ in sync]
    x_lo, x_hi = math.log10(min(xs)) - 0.15, math.log10(max(xs)) + 0.15

    def px(n):
        return left + (math.log10(n) - x_lo) / (x_hi - x_lo) * (width - left - right)

    def py(s):
        return top + (math.log10(hi) - math.log10(s)) / (math.log10(hi) - math.log10(lo)) * (height - top - bottom)

    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}' {FONT}>",
           f"<rect width='{width}' height='{height}' fill='white'/>",
           f"<text x='{(width - right + left) / 2}' y='24' font-size='16' text-anchor='middle' font-weight='bold'>Bulk adds, 20 ms per API call (log-log)</text>",
           f"<text x='{(width - right + left) / 2}' y='42' font-size='12' text-anchor='middle' fill='#555'>wall time to add every domain</text>"]
    decade = lo
    while decade <= hi * 1.0001:
        y = py(decade)
        out.append(f"<line x1='{left}' y1='{y:.1f}' x2='{width - right}' y2='{y:.1f}' stroke='#ddd'/>")
        out.append(f"<text x='{left - 6}' y='{y + 4:.1f}' font-size='11' text-anchor='end'>{decade:g} s</text>")
        decade *= 10
    for n in xs:
        x = px(n)
        out.append(f"<line x1='{x:.1f}' y1='{height - bottom}' x2='{x:.1f}' y2='{height - bottom + 5}' stroke='#333'/>")
        out.append(f"<text x='{x:.1f}' y='{height - bottom + 19}' font-size='11' text-anchor='middle'>{n:,} domains</text>")
    out.append(f"<line x1='{left}' y1='{height - bottom}' x2='{width - right}' y2='{height - bottom}' stroke='#333'/>")
    out.append(f"<line x1='{left}' y1='{top}' x2='{left}' y2='{height - bottom}' stroke='#333'/>")

    def series(points, color, dashed_from=None, label=""):
        d = " ".join(f"{'M' if i == 0 else 'L'}{px(n):.1f},{py(s):.1f}" for i, (n, s) in enumerate(points))
        out.append(f"<path d='{d}' fill='none' stroke='{color}' stroke-width='2.5'/>")
        for n, s in points:
            hollow = dashed_from is not None and n not in dashed_from
            fill = "white" if hollow else color
            out.append(f"<circle cx='{px(n):.1f}' cy='{py(s):.1f}' r='5' fill='{fill}' stroke='{color}' stroke-width='2'/>")
            out.append(f"<text x='{px(n) + 8:.1f}' y='{py(s) - 8:.1f}' font-size='11' fill='{color}'>{s:.1f} s</text>")
        n, s = points[-1]
        out.append(f"<text x='{width - right + 12}' y='{py(s) + 4:.1f}' font-size='12' fill='{color}'>{escape(label)}</text>")

    series(sync, "#c0392b", label="closte_sync_domains, c=16")
    if rate:
        series([(n, rate * n) for n in xs], "#2c3e50", dashed_from=measured, label="sequential closte_add_domain")
        out.append(f"<text x='{left + 8}' y='{height - 10}' font-size='11' fill='#555'>hollow points: sequential time extrapolated "
                   f"from the measured {1000 * rate:.1f} ms per domain</text>")
    out.append("</svg>")
    write(path, out)


def write(path, lines):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    results, docs = sys.argv[1], sys.argv[2]
    table, pcs, bk = build_table(results)
    machine = simple_table(results, "machine.tsv")
    header = "\n".join(f"- {k.replace('_', ' ')}: {' '.join(v)}" for k, *v in machine)
    text = (header + "\n\n" if header else "") + table
    print(text)
    write(os.path.join(results, "results.md"), [text])
    os.makedirs(docs, exist_ok=True)
    svg_percall(pcs, os.path.join(docs, "perf-percall.svg"))
    svg_bulk(bk, os.path.join(docs, "perf-bulk.svg"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
