#!/usr/bin/env python3
"""Summarises the raw files scripts/bench.sh wrote into RESULTS_DIR: prints
the tables (Markdown), writes them to RESULTS_DIR/results.md and draws the
charts as plain SVG (no plotting library) into RESULTS_DIR. With
--update-docs DOCS_DIR it also writes the charts there and puts the tables
between the markers of DOCS_DIR/PERFORMANCE.md (the prose around them is
left as it is).

Usage: python3 bench/report.py RESULTS_DIR [--update-docs DOCS_DIR]

Raw files (a measurement runs in rounds; a figure is the median over the
rounds of that round's statistic; a ratio of two clients is taken inside
each round, between runs made back to back, then the median over rounds):
  percall-<setup>/<client>-<round>.txt  `add <us>` / `remove <us>` per call,
                                        a `# failures N retried M` line
  percall-<setup>/connections.tsv       client  round  connections  requests
  idle.tsv                              round  variant  wall_us  cpu_us
  fpm-idle.tsv                          round  variant  wall_us  worker_cpu_us
  rss.tsv                               mode  VmRSS  VmHWM  RssAnon  RssFile (kB)
  threads.tsv                           label  tasks
  bulk.tsv                              mode  domains  concurrency  seconds  failures  done
  fpm.tsv                               label  requests  api_requests  connections
  sizes.tsv, machine.tsv                key  value
BENCH_ALSO_LABEL names the other build; BENCH_DELAY_MS and
BENCH_CONCURRENCY are the round trip and the bulk concurrency used.
"""

import math
import os
import statistics
import sys
from html import escape

ALSO = os.environ.get("BENCH_ALSO_LABEL") or "other build"
DELAY_MS = float(os.environ.get("BENCH_DELAY_MS", "20"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
BULK_TARGET_N = 5000
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"

CLIENTS = [  # client -> label, in the order of the tables
    ("ext", "closte extension, connection kept alive (warm)"),
    ("also", f"closte extension, {ALSO}, warm"),
    ("ext-new", "closte extension, a new connection and TLS handshake each call"),
    ("also-new", f"closte extension, {ALSO}, a new connection each call"),
    ("first", "closte extension, first call of a process (client made, full handshake)"),
    ("first-also", f"closte extension, {ALSO}, first call of a process"),
    ("wp", "wp_remote_post (WordPress, cURL; a new connection each call)"),
    ("curl", "PHP curl, a new handle each call"),
    ("curl-keep", "PHP curl, one handle kept alive (reference)"),
]
LABEL = dict(CLIENTS)
SETUPS = [
    ("tls", f"{DELAY_MS:g} ms per round trip, TLS (bench/tlsproxy.py), server on the other CPU"),
    ("cross-cpu", "loopback, plain HTTP, simulator on CPU 1, client on CPU 0"),
    ("same-cpu", "loopback, plain HTTP, simulator and client on one CPU"),
]
COLORS = {"ext": "#c0392b", "also": "#e67e22", "ext-new": "#8e44ad", "also-new": "#bb8fce",
          "first": "#16a085", "first-also": "#76d7c4", "wp": "#2c3e50", "curl": "#2874a6",
          "curl-keep": "#7f8c8d"}


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [line.split("\t") if "\t" in line else line.split()
                for line in (raw.rstrip("\n") for raw in handle) if line.strip() and not line.startswith("#")]


def comments(path):
    with open(path, encoding="utf-8") as handle:
        return [line[1:].split() for line in handle if line.startswith("#")]


def percentile(sorted_values, q):
    """Nearest-rank percentile of a sorted list."""
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def percall(directory):
    """client -> median, p99, rounds, calls, failures, retried, by_round (µs)."""
    out = {}
    if not os.path.isdir(directory):
        return out
    files = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".txt"):
            client, _, label = name[:-4].rpartition("-")
            if client == "first-ext":
                client = "first"
            files.setdefault(client, []).append((label, os.path.join(directory, name)))
    for client, runs in files.items():
        by_round, calls, failures, retried = {}, 0, 0, 0
        for label, path in runs:
            samples = sorted(float(v) for _, v in read_lines(path))
            for words in comments(path):
                if len(words) == 4 and words[0] == "failures":
                    failures += int(words[1])
                    retried += int(words[3])
            if samples:
                by_round[label] = (statistics.median(samples), percentile(samples, 99))
                calls += len(samples)
        if by_round:
            out[client] = {
                "median": statistics.median(m for m, _ in by_round.values()),
                "p99": statistics.median(p for _, p in by_round.values()),
                "rounds": len(by_round), "calls": calls, "failures": failures, "retried": retried,
                "by_round": by_round,
            }
    return out


def round_ratio(pc, a, b, index=0):
    """Median over rounds (and range) of a's statistic over b's."""
    common = sorted(set(pc[a]["by_round"]) & set(pc[b]["by_round"]))
    ratios = [pc[a]["by_round"][r][index] / pc[b]["by_round"][r][index] for r in common]
    return statistics.median(ratios), min(ratios), max(ratios)


def fmt_us(value):
    return f"{value / 1000:.2f} ms" if value >= 1000 else f"{value:.0f} µs"


def verdict(ok):
    return "**met**" if ok else "**NOT met**"


def connections(directory):
    found = {}
    for client, _, conns, requests in read_lines(os.path.join(directory, "connections.tsv")):
        found.setdefault(client, []).append((int(conns), int(requests)))
    return {c: (max(x for x, _ in v), max(y for _, y in v)) for c, v in found.items()}


def percall_table(pc, directory):
    conns = connections(directory)
    rows = ["| client | median | p99 | rounds, calls | failures (retried) | TCP connections per run (API requests) |",
            "|---|---:|---:|---:|---:|---:|"]
    for client, label in CLIENTS:
        if client in pc:
            r = pc[client]
            c = conns.get(client)
            c_text = f"{c[0]:,} ({c[1]:,})" if c else "1 per process"
            rows.append(f"| {label} | **{fmt_us(r['median'])}** | {fmt_us(r['p99'])} | {r['rounds']}, {r['calls']:,} | "
                        f"{r['failures']} ({r['retried']}) | {c_text} |")
    return rows


# ----------------------------------------------------------------- sections

def section_percall(results, pcs):
    rows = ["### Per call\n",
            "One `adddomainalias` or `deletedomainalias` for a fresh domain, timed one by one (`hrtime`) in a "
            "PHP process that has loaded WordPress; warm-up calls not counted.\n"]
    for setup, title in SETUPS:
        if setup not in pcs:
            continue
        pc = pcs[setup]
        rows += [f"#### {title}\n"] + percall_table(pc, os.path.join(results, f"percall-{setup}")) + [""]
        notes = []
        for build, label in (("ext", "this build"), ("also", ALSO)):
            if build in pc and "wp" in pc:
                r = round_ratio(pc, "wp", build)
                notes.append(f"- wp_remote_post / extension ({label}), warm: **{r[0]:.2f}x** (rounds {r[1]:.2f}–{r[2]:.2f})")
        if {"ext", "also"} <= pc.keys():
            r = round_ratio(pc, "ext", "also")
            notes.append(f"- this build / {ALSO}, warm: {r[0]:.3f}x (rounds {r[1]:.3f}–{r[2]:.3f})")
        if setup == "tls":
            for build, label in (("ext", "this build"), ("also", ALSO)):
                if {build, "curl-keep"} <= pc.keys():
                    r = round_ratio(pc, build, "curl-keep")
                    notes.append(f"- extension ({label}) / PHP curl with its handle kept, both warm through the same proxy: "
                                 f"{r[0]:.3f}x (rounds {r[1]:.3f}–{r[2]:.3f})")
            three = 3 * DELAY_MS * 1000 + server_time(pcs)
            for client in ("ext-new", "also-new", "wp", "curl"):
                if client in pc:
                    notes.append(f"- {LABEL[client]}: {pc[client]['median'] / three:.3f}x three round trips "
                                 f"(TCP, TLS 1.3, the request) plus the server's time, {fmt_us(three)}")
        rows += notes + ([""] if notes else [])
    return rows


def server_time(pcs):
    """A warm call straight to the simulator on loopback, server on the other
    CPU as in the TLS set-up: the server's time plus a loopback round trip
    plus the client's own work (so an upper bound of what the target allows
    besides the round trip). The fastest build's figure is used."""
    loop = pcs.get("cross-cpu") or pcs.get("same-cpu") or {}
    values = [loop[b]["median"] for b in ("ext", "also") if b in loop]
    return min(values) if values else 0.0


def idle(results):
    runs, rounds = {}, {}
    for label, variant, wall, cpu in read_lines(os.path.join(results, "idle.tsv")):
        runs.setdefault(variant, []).append((float(wall), float(cpu)))
        rounds.setdefault(label, {}).setdefault(variant, []).append(float(wall))
    if "without" not in runs:
        return None
    out = {"rounds": len(rounds), "runs": sum(len(v) for v in runs.values()), "by_round": rounds}
    for variant, values in runs.items():
        out[variant] = {"wall": statistics.median(w for w, _ in values), "cpu": statistics.median(c for _, c in values)}
    return out


def idle_ratio(idl, a, b):
    """a's median wall over b's: over all runs, and the range round by round."""
    per_round = [statistics.median(r[a]) / statistics.median(r[b]) for r in idl["by_round"].values() if a in r and b in r]
    return idl[a]["wall"] / idl[b]["wall"], min(per_round), max(per_round)


def section_idle(results, idl):
    rows = ["### Idle cost (a PHP process or request that never calls the extension)\n"]
    if idl:
        rows += [f"`php -n -r ''` started {idl['runs']:,} times in {idl['rounds']} rounds, the variants interleaved "
                 "in shuffled order (bench/idle.py); wall time from spawn to exit and the child's CPU time.\n",
                 "| `php -n -r ''` with | wall (median) | / without (rounds) | CPU (median) | / without |",
                 "|---|---:|---:|---:|---:|"]
        names = [("without", "no extension"), ("with", "closte, this build"), ("also", f"closte, {ALSO}"),
                 ("empty", "a Rust extension with nothing in it (bench/empty-ext)"), ("calendar", "calendar.so (PHP's own)")]
        for variant, label in names:
            if variant in idl:
                r = idle_ratio(idl, variant, "without")
                cpu = idl[variant]["cpu"] / idl["without"]["cpu"]
                rows.append(f"| {label} | {idl[variant]['wall'] / 1000:.2f} ms | {r[0]:.3f} ({r[1]:.3f}–{r[2]:.3f}) | "
                            f"{idl[variant]['cpu'] / 1000:.2f} ms | {cpu:.3f} |")
        rows.append("")
    fpm_idle = read_lines(os.path.join(results, "fpm-idle.tsv"))
    if fpm_idle:
        by_round = {}
        for label, variant, wall, cpu in fpm_idle:
            by_round.setdefault(label, {})[variant] = (float(wall), float(cpu))
        full = [r for r in by_round.values() if {"without", "with"} <= r.keys()]
        rows += ["PHP-FPM, one worker per pool, batches of requests to a script that does not call the extension "
                 f"({len(full)} rounds, the pools in turn; the baseline pool loads calendar.so):\n",
                 "| pool | worker CPU per request (median) | / without | wall per request, FastCGI client included |",
                 "|---|---:|---:|---:|"]
        base = statistics.median(r["without"][1] for r in full)
        for variant, label in (("without", "calendar.so"), ("with", "closte, this build"), ("also", f"closte, {ALSO}")):
            vals = [r[variant] for r in full if variant in r]
            if vals:
                cpu = statistics.median(c for _, c in vals)
                rows.append(f"| {label} | {cpu:.1f} µs | {cpu / base:.3f} | {statistics.median(w for w, _ in vals):.0f} µs |")
        rows.append("")
    mem = {}
    for mode, *values in read_lines(os.path.join(results, "rss.tsv")):
        mem.setdefault(mode, []).append([int(v) for v in values])
    mem = {m: [statistics.median(col) / 1024 for col in zip(*rows_)] for m, rows_ in mem.items()}
    sizes = {k: int(v) for k, v in read_lines(os.path.join(results, "sizes.tsv"))}
    threads = read_lines(os.path.join(results, "threads.tsv"))
    if mem or sizes or threads:
        cols = [("ext", "this build")] + ([("also", ALSO)] if "also" in mem or "also" in sizes else [])
        rows += ["| measure | " + " | ".join(c for _, c in cols) + " |", "|---|" + "---:|" * len(cols)]
        if sizes:
            rows.append("| size of the .so | " + " | ".join(f"{sizes[k]:,} bytes" if k in sizes else "–" for k, _ in cols) + " |")
        if "base" in mem:
            for i, name in ((0, "VmRSS at the end of `php -n` (difference to no extension)"),
                            (2, "RssAnon, private to the process"), (3, "RssFile, mapped files (shared)")):
                rows.append(f"| {name} | " + " | ".join(
                    f"{mem[k][i]:.2f} MiB ({mem[k][i] - mem['base'][i]:+.2f})" if k in mem else "–" for k, _ in cols) + " |")
        by_label = {}
        for label, tasks in threads:
            build = "also" if label.startswith("also_build_") else "ext"
            by_label.setdefault(label.removeprefix("also_build_"), {})[build] = tasks
        for label, per in by_label.items():
            rows.append(f"| threads (/proc/self/task) {label.replace('_', ' ')} | " +
                        " | ".join(per.get(k, "–") for k, _ in cols) + " |")
        rows.append("")
    return rows


def bulk(results):
    groups = {}
    for mode, domains, conc, seconds, failures, done in read_lines(os.path.join(results, "bulk.tsv")):
        groups.setdefault((mode, int(domains)), []).append((float(seconds), int(failures), int(done), int(conc)))
    return {key: {"seconds": statistics.median(s for s, *_ in runs), "failures": max(f for _, f, _, _ in runs),
                  "done": min(d for _, _, d, _ in runs), "runs": len(runs), "concurrency": runs[0][3]}
            for key, runs in groups.items()}


def ideal_bulk(n):
    return n * DELAY_MS / 1000 / CONCURRENCY


def section_bulk(bk):
    if not bk:
        return []
    rows = [f"### Bulk: `closte_sync_domains`, concurrency {CONCURRENCY}, {DELAY_MS:g} ms per call\n",
            f"The ideal is N × {DELAY_MS:g} ms / {CONCURRENCY}. \"simulator latency\": the simulator answers every "
            f"API call {DELAY_MS:g} ms late (plain HTTP, loopback); \"TLS proxy\": through bench/tlsproxy.py "
            f"({DELAY_MS:g} ms per round trip, every connection's handshake included).\n",
            "| run | domains | time (median) | runs | / ideal | failures |", "|---|---:|---:|---:|---:|---:|"]
    names = {"sync": "simulator latency, this build", "sync_also": f"simulator latency, {ALSO}",
             "sync_tls": "TLS proxy, this build", "sync_tls_also": f"TLS proxy, {ALSO}"}
    for mode in names:
        for (m, n), r in sorted(bk.items()):
            if m == mode:
                rows.append(f"| {names[mode]} | {n:,} | **{r['seconds']:.2f} s** ({n / r['seconds']:.0f}/s) | {r['runs']} | "
                            f"{r['seconds'] / ideal_bulk(n):.3f} | {r['failures']} |")
    for (m, n), r in bk.items():
        if m == "seq" and r["done"]:
            per = r["seconds"] / r["done"]
            sync = bk.get(("sync", BULK_TARGET_N))
            speed = f"; sync of {BULK_TARGET_N:,} is **{per * BULK_TARGET_N / sync['seconds']:.1f}x** faster than that rate" if sync else ""
            rows += ["", f"- sequential `closte_add_domain` from PHP: {n:,} domains in {r['seconds']:.1f} s "
                         f"({1000 * per:.2f} ms per domain, {r['failures']} failures){speed}"]
    rows.append("")
    return rows


def section_fpm(results):
    fpm = read_lines(os.path.join(results, "fpm.tsv"))
    if not fpm:
        return []
    rows = ["### Connection reuse inside PHP-FPM workers (loopback simulator)\n",
            "| pool | FastCGI requests (one `closte_add_domain` each) | API requests at the simulator | TCP connections |",
            "|---|---:|---:|---:|"]
    for label, requests, api, conns in fpm:
        rows.append(f"| {label.replace('_', ' ')} | {int(requests):,} | {int(api):,} | **{conns}** |")
    rows.append("")
    return rows


def section_targets(pcs, idl, bk):
    """The targets, each for this build and the other one."""
    has_also = any("also" in pc for pc in pcs.values()) or (idl and "also" in idl)
    cols = [("ext", "this build")] + ([("also", ALSO)] if has_also else [])
    rows = ["### Targets\n", "| target | " + " | ".join(c for _, c in cols) + " |", "|---|" + "---|" * len(cols)]
    tls = pcs.get("tls", {})
    server = server_time(pcs)
    ideal = DELAY_MS * 1000 + server
    cells = []
    for build, _ in cols:
        if build in tls and server:
            ratio = tls[build]["median"] / ideal
            cells.append(f"{fmt_us(tls[build]['median'])} = **{ratio:.3f}x**: {verdict(ratio <= 1.05)}")
        else:
            cells.append("–")
    rows.append(f"| warm call ≤ 1.05x one round trip plus the server's time ({DELAY_MS:g} ms + {fmt_us(server)} "
                f"= {fmt_us(ideal)}) | " + " | ".join(cells) + " |")
    cells = []
    for build, _ in cols:
        if build in tls and "wp" in tls:
            r = round_ratio(tls, "wp", build)
            cells.append(f"**{r[0]:.2f}x** (rounds {r[1]:.2f}–{r[2]:.2f}): {verdict(r[0] >= 2.5)}")
        else:
            cells.append("–")
    rows.append("| warm call ≥ 2.5x faster than `wp_remote_post` | " + " | ".join(cells) + " |")
    if idl and {"with", "also"} <= idl.keys():
        r = idle_ratio(idl, "with", "also")
        rows.append(f"| CLI cold start (`php -n -r ''`) within 1% of the other build | **{r[0]:.3f}x** "
                    f"(rounds {r[1]:.3f}–{r[2]:.3f}): {verdict(r[0] <= 1.01)} | reference |")
    cells = []
    for mode in ("sync", "sync_also")[:len(cols)]:
        r = bk.get((mode, BULK_TARGET_N))
        if r:
            ratio = r["seconds"] / ideal_bulk(BULK_TARGET_N)
            cells.append(f"{r['seconds']:.2f} s = **{ratio:.3f}x**, {r['failures']} failures: "
                         f"{verdict(ratio <= 1.1 and r['failures'] == 0)}")
        else:
            cells.append("–")
    rows.append(f"| sync of {BULK_TARGET_N:,} at {DELAY_MS:g} ms, concurrency {CONCURRENCY}, ≤ 1.1x the ideal "
                f"{ideal_bulk(BULK_TARGET_N):.2f} s | " + " | ".join(cells) + " |")
    rows.append("")
    return rows


# --------------------------------------------------------------------- SVG

FONT = "font-family='DejaVu Sans, Helvetica, Arial, sans-serif'"


SHORT = {"ext": "closte, warm", "also": f"closte {ALSO}, warm", "ext-new": "closte, new connection each call",
         "also-new": f"closte {ALSO}, new connection each call", "first": "closte, first call of a process",
         "first-also": f"closte {ALSO}, first call of a process", "wp": "wp_remote_post (new connection each call)",
         "curl": "PHP curl, new handle each call", "curl-keep": "PHP curl, one handle kept (reference)"}


def nice_step(span):
    """A round tick step giving about five ticks over span."""
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def svg_percall(pcs, path):
    """One panel per set-up, each on its own linear scale from zero."""
    panels = [(s, t) for s, t in SETUPS if s in pcs]
    if not panels:
        return
    width, left, right, bar, gap, head = 800, 270, 110, 12, 8, 30
    heights = [head + len(pcs[s]) * (2 * bar + gap) + 30 for s, _ in panels]
    height = 46 + sum(heights)
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}' {FONT}>",
           f"<rect width='{width}' height='{height}' fill='white'/>",
           f"<text x='{width / 2}' y='20' font-size='15' text-anchor='middle' font-weight='bold'>Per call (lower is better)</text>",
           f"<text x='{width / 2}' y='36' font-size='11' text-anchor='middle' fill='#555'>one adddomainalias or "
           f"deletedomainalias; dark: median, light: p99 (medians over rounds)</text>"]
    y0 = 46
    for (setup, title), h in zip(panels, heights):
        pc = pcs[setup]
        step = nice_step(max(r["p99"] for r in pc.values()))
        hi = step * math.ceil(max(r["p99"] for r in pc.values()) / step)

        def px(us, hi=hi):
            return left + us / hi * (width - left - right)

        out.append(f"<text x='{left}' y='{y0 + 18}' font-size='12' font-weight='bold'>{escape(title)}</text>")
        top = y0 + head
        axis_y = top + len(pc) * (2 * bar + gap)
        for i in range(round(hi / step) + 1):
            x = px(i * step)
            out.append(f"<line x1='{x:.1f}' y1='{top - 4}' x2='{x:.1f}' y2='{axis_y}' stroke='#e3e3e3'/>")
            tick = f"{i * step / 1000:g} ms" if hi >= 1000 else f"{i * step:g} µs"
            out.append(f"<text x='{x:.1f}' y='{axis_y + 14}' font-size='10' text-anchor='middle'>{escape(tick)}</text>")
        y = top
        for client, _ in CLIENTS:
            if client not in pc:
                continue
            r = pc[client]
            for stat, opacity in (("median", 1.0), ("p99", 0.35)):
                w = max(1.0, px(r[stat]) - left)
                out.append(f"<rect x='{left}' y='{y}' width='{w:.1f}' height='{bar}' fill='{COLORS[client]}' fill-opacity='{opacity}'/>")
                out.append(f"<text x='{left + w + 5:.1f}' y='{y + bar - 2}' font-size='10'>{stat} {escape(fmt_us(r[stat]))}</text>")
                y += bar
            out.append(f"<text x='{left - 8}' y='{y - bar + 3}' font-size='11' text-anchor='end'>{escape(SHORT[client])}</text>")
            y += gap
        out.append(f"<line x1='{left}' y1='{axis_y}' x2='{width - right}' y2='{axis_y}' stroke='#333'/>")
        out.append(f"<line x1='{left}' y1='{top - 4}' x2='{left}' y2='{axis_y}' stroke='#333'/>")
        y0 += h
    out.append("</svg>")
    write(path, out)


def svg_bulk(bk, path):
    """Bars: each bulk run against its ideal."""
    runs = [(m, n, r) for (m, n), r in sorted(bk.items()) if m.startswith("sync")]
    if not runs:
        return
    names = {"sync": "this build", "sync_also": ALSO, "sync_tls": "this build, TLS proxy", "sync_tls_also": f"{ALSO}, TLS proxy"}
    width, left, right, bar, gap = 760, 250, 150, 16, 8
    height = 70 + len(runs) * (bar + gap) + 30
    hi = max(r["seconds"] / ideal_bulk(n) for _, n, r in runs)
    hi = max(1.2, math.ceil(hi * 10) / 10)

    def px(ratio):
        return left + ratio / hi * (width - left - right)

    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}' {FONT}>",
           f"<rect width='{width}' height='{height}' fill='white'/>",
           f"<text x='{width / 2}' y='22' font-size='15' text-anchor='middle' font-weight='bold'>"
           f"closte_sync_domains, concurrency {CONCURRENCY}, {DELAY_MS:g} ms per call</text>",
           f"<text x='{width / 2}' y='40' font-size='11' text-anchor='middle' fill='#555'>time over the ideal "
           f"(N × {DELAY_MS:g} ms / {CONCURRENCY}); the dashed line is the 1.1x target</text>"]
    top = 56
    axis_y = top + len(runs) * (bar + gap)
    for tick in [t / 10 for t in range(0, int(hi * 10) + 1, 2)]:
        out.append(f"<line x1='{px(tick):.1f}' y1='{top - 4}' x2='{px(tick):.1f}' y2='{axis_y}' stroke='#e3e3e3'/>")
        out.append(f"<text x='{px(tick):.1f}' y='{axis_y + 14}' font-size='10' text-anchor='middle'>{tick:.1f}x</text>")
    y = top
    for mode, n, r in runs:
        ratio = r["seconds"] / ideal_bulk(n)
        color = "#e67e22" if "also" in mode else "#c0392b"
        opacity = 0.6 if "tls" in mode else 1.0
        out.append(f"<rect x='{left}' y='{y}' width='{px(ratio) - left:.1f}' height='{bar}' fill='{color}' fill-opacity='{opacity}'/>")
        out.append(f"<text x='{px(ratio) + 5:.1f}' y='{y + bar - 4}' font-size='10'>{r['seconds']:.2f} s ({ratio:.3f}x)</text>")
        out.append(f"<text x='{left - 8}' y='{y + bar - 4}' font-size='11' text-anchor='end'>{n:,} domains, {escape(names[mode])}</text>")
        y += bar + gap
    out.append(f"<line x1='{px(1.1):.1f}' y1='{top - 6}' x2='{px(1.1):.1f}' y2='{axis_y}' stroke='#333' stroke-dasharray='4 3'/>")
    out.append(f"<line x1='{left}' y1='{axis_y}' x2='{width - right}' y2='{axis_y}' stroke='#333'/>")
    out.append("</svg>")
    write(path, out)


def write(path, lines):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def update_doc(path, text):
    """Replaces what is between the markers; the rest is prose."""
    with open(path, encoding="utf-8") as handle:
        doc = handle.read()
    start, end = doc.find(BEGIN), doc.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{path}: no {BEGIN} ... {END} block to rewrite")
    doc = doc[:start + len(BEGIN)] + "\n" + text.rstrip("\n") + "\n" + doc[end:]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(doc)


def main():
    args = sys.argv[1:]
    docs = None
    if len(args) == 3 and args[1] == "--update-docs":
        docs = args[2]
    elif len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    results = args[0]
    pcs = {s: pc for s, _ in SETUPS if (pc := percall(os.path.join(results, f"percall-{s}")))}
    idl = idle(results)
    bk = bulk(results)
    machine = read_lines(os.path.join(results, "machine.tsv"))
    header = "\n".join(f"- {k}: {v}" for k, v in machine)
    parts = section_targets(pcs, idl, bk) + section_percall(results, pcs) + section_idle(results, idl) \
        + section_bulk(bk) + section_fpm(results)
    text = (header + "\n\n" if header else "") + "\n".join(parts)
    print(text)
    write(os.path.join(results, "results.md"), [text])
    for target in [results] + ([docs] if docs else []):
        svg_percall(pcs, os.path.join(target, "perf-percall.svg"))
        svg_bulk(bk, os.path.join(target, "perf-bulk.svg"))
    if docs:
        update_doc(os.path.join(docs, "PERFORMANCE.md"), text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
