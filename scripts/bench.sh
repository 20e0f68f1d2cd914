#!/usr/bin/env bash
# The performance benchmark of issue 5 (docs/PERFORMANCE.md explains it).
#
#   bash scripts/bench.sh           full run (about 4 minutes on 2 cores, plus
#                                   the first build: about 1 to 3 minutes)
#   bash scripts/bench.sh --quick   fewer rounds and samples (about 70 s)
#   bash scripts/bench.sh --also /path/to/other/libcloste.so
#                                   also measures another build of the
#                                   extension per call, idle and RSS (and
#                                   its threads),
#                                   to weigh a change before it lands
#                                   (--also-label TEXT names it in the output)
#
# Self-contained from a fresh clone: installs the Debian packages it needs
# (when missing), builds the workspace in release mode, starts the Closte
# simulator, a private MariaDB + WordPress and a PHP-FPM on loopback, and
# stops them all on exit. Prints the table, writes the raw figures to
# target/bench/ and the charts to docs/perf-percall.svg and
# docs/perf-bulk.svg. It prints figures; it does not fail on slow ones.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

quick=0
also=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --also) also="$(realpath "${2:?--also needs the path of another libcloste.so}")"; shift ;;
        --also-label) export BENCH_ALSO_LABEL="${2:?--also-label needs a text}"; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

if [ "$quick" -eq 1 ]; then
    PERCALL_ROUNDS=3 PERCALL_CYCLES=500 PERCALL_WP_CYCLES=250
    IDLE_ROUNDS=3 IDLE_PAIRS=60 RSS_RUNS=5
    BULK_SIZES="1000 5000 20000" BULK_REPEAT=1 SEQ_DOMAINS=300
    FPM_REQUESTS=100 FPM_IDLE_REQUESTS=250 FPM_IDLE_ROUNDS=10
else
    PERCALL_ROUNDS=7 PERCALL_CYCLES=3000 PERCALL_WP_CYCLES=1500
    IDLE_ROUNDS=5 IDLE_PAIRS=200 RSS_RUNS=15
    BULK_SIZES="1000 5000 20000" BULK_REPEAT=3 SEQ_DOMAINS=5000
    FPM_REQUESTS=1000 FPM_IDLE_REQUESTS=250 FPM_IDLE_ROUNDS=40
fi
WARMUP=100
LATENCY_MS=20
CONCURRENCY=16
KEY="bench-key-0123456789"

say() { printf '\n== %s\n' "$*" >&2; }
started_at=$(date +%s)

# ------------------------------------------------------------ packages, build
say "packages"
packages=(php8.2-cli php8.2-dev php8.2-fpm php8.2-mysql php8.2-curl libclang-dev
          wordpress mariadb-server python3)
missing=()
for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

say "build (cargo build --release --workspace)"
cargo build --release --workspace --quiet
SO="$root/target/release/libcloste.so"
SIM_BIN="$root/target/release/closte-sim"
FLOOR_BIN="$root/target/release/closte-floor"
for f in "$SO" "$SIM_BIN" "$FLOOR_BIN"; do
    [ -x "$f" ] || [ -f "$f" ] || { echo "missing build output: $f" >&2; exit 1; }
done

results="$root/target/bench"
rm -rf "$results"
mkdir -p "$results"
work="$(mktemp -d /tmp/closte-bench.XXXXXX)"
chmod 0755 "$work"

# ------------------------------------------------------------------ clean-up
pids=()
fpm_dirs=()
cleanup() {
    local pid dir
    for dir in "${fpm_dirs[@]}"; do
        bash "$root/tests/fpm/fpm.sh" stop "$dir" >/dev/null 2>&1 || true
    done
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------- machine
{
    printf 'cores (nproc)\t%s\n' "$(nproc)"
    printf 'CPU\t%s\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    printf 'memory\t%s\n' "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    printf 'kernel\t%s\n' "$(uname -r)"
    printf 'PHP\t%s\n' "$(php -n -r 'echo PHP_VERSION, " ", PHP_ZTS ? "ZTS" : "NTS";')"
    printf 'Rust\t%s\n' "$(rustc -V)"
    printf 'extension\t%s, %s bytes\n' "$(php -n -d "extension=$SO" -r 'echo closte_version();')" "$(stat -c %s "$SO")"
    printf 'WordPress\t%s\n' "$(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" /usr/share/wordpress/wp-includes/version.php)"
    printf 'mode\t%s\n' "$([ "$quick" -eq 1 ] && echo quick || echo full)"
} > "$results/machine.tsv"

# ----------------------------------------------------------------- simulator
start_sim() { # [command prefix...]: starts a simulator, sets SIM_URL and API_URL
    local port_file="$work/sim.port"
    rm -f "$port_file"
    CLOSTE_SIM_KEYS="$KEY" "$@" "$SIM_BIN" --listen 127.0.0.1:0 --port-file "$port_file" --quiet >/dev/null 2>"$work/sim.err" &
    pids+=($!)
    for _ in $(seq 1 200); do
        [ -s "$port_file" ] && break
        sleep 0.05
    done
    [ -s "$port_file" ] || { echo "closte-sim did not start" >&2; cat "$work/sim.err" >&2; return 1; }
    SIM_URL="http://127.0.0.1:$(cat "$port_file")"
    API_URL="$SIM_URL/api/client"
}
sim() { php -n "$root/bench/sim.php" "$SIM_URL" "$@"; }
# Pinned simulators for the per-call runs (below): one on CPU 0, one on
# CPU 1 (when there is one); the rest talk to an unpinned one.
start_sim taskset -c 0
SIM_URL_CPU0="$SIM_URL"
percall_modes=(same-cpu)
if [ "$(nproc)" -ge 2 ]; then
    start_sim taskset -c 1
    SIM_URL_CPU1="$SIM_URL"
    percall_modes+=(cross-cpu)
fi
start_sim

# ------------------------------------------------------ MariaDB + WordPress
say "private MariaDB and WordPress (Debian's package) for the wp_remote_post path"
db_port="$(php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);')"
mariadb-install-db --no-defaults --datadir="$work/db" --auth-root-authentication-method=normal \
    --skip-test-db >"$work/db-install.log" 2>&1
mariadbd --no-defaults --datadir="$work/db" --bind-address=127.0.0.1 --port="$db_port" \
    --socket="$work/db.sock" --pid-file="$work/db.pid" --skip-log-bin --skip-name-resolve \
    --user="$(id -un)" >"$work/db.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 200); do
    [ -S "$work/db.sock" ] && break
    sleep 0.05
done
[ -S "$work/db.sock" ] || { echo "MariaDB did not start" >&2; cat "$work/db.log" >&2; exit 1; }
mariadb --no-defaults -S "$work/db.sock" -uroot -e 'CREATE DATABASE wp'
mkdir "$work/wp"
tar -C /usr/share/wordpress -chf - . | tar -C "$work/wp" -xf -
cat > "$work/wp/wp-config.php" <<EOF
<?php
define('DB_NAME', 'wp');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:$work/db.sock');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
\$table_prefix = 'wp_';
define('DISABLE_WP_CRON', true);
define('WP_DEBUG', false);
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__ . '/'); }
require_once ABSPATH . 'wp-settings.php';
EOF
# The same PHP for both PHP paths: no php.ini, the extensions WordPress
# needs (cURL is what WordPress's HTTP API uses when present, as on almost
# every host), and the closte extension.
PHPX=(php -n -d extension=mysqlnd -d extension=mysqli -d extension=curl -d "extension=$SO"
      -d "closte.api_url=$API_URL" -d memory_limit=512M)
"${PHPX[@]}" "$root/bench/wp-install.php" "$work/wp" >"$work/wp-install.log" 2>&1 \
    || { cat "$work/wp-install.log" >&2; exit 1; }

# ---------------------------------------------------------------- 1. per call
# Every client runs on CPU 0, in two set-ups. "same-cpu": the simulator
# shares CPU 0, so a round trip is two context switches on one core and the
# figures show what each client itself costs. "cross-cpu": the simulator runs
# on CPU 1, so every answer also pays for waking the other vCPU (tens of µs
# on this VM, the same for every client), as a server on another core would.
# (Left unpinned, the scheduler picks one or the other at random per run.)
say "1. per call: floor, extension, wp_remote_post ($PERCALL_ROUNDS rounds, ${percall_modes[*]})"
clients=(floor ext wp)
[ -n "$also" ] && clients+=(also)
n_clients=${#clients[@]}
free_sim_url="$SIM_URL"
pin=(taskset -c 0)
for mode in "${percall_modes[@]}"; do
    SIM_URL="$SIM_URL_CPU0"
    [ "$mode" = cross-cpu ] && SIM_URL="$SIM_URL_CPU1"
    url="$SIM_URL/api/client"
    mkdir -p "$results/percall-$mode"
    # The same PHP for both PHP paths (see PHPX above), pointed at this
    # mode's simulator; PHP_EXT and PHP_ALSO differ only in the .so.
    PHP_EXT=(php -n -d extension=mysqlnd -d extension=mysqli -d extension=curl -d "extension=$SO"
             -d "closte.api_url=$url" -d memory_limit=512M)
    PHP_ALSO=("${PHP_EXT[@]/#extension=$SO/extension=$also}")
    for round in $(seq 1 "$PERCALL_ROUNDS"); do
        # Rotate the order so that no client always runs first or last.
        for k in $(seq 0 $((n_clients - 1))); do
            client="${clients[$(((k + round) % n_clients))]}"
            out="$results/percall-$mode/$client-$round.txt"
            sim reset
            case "$client" in
                floor) "${pin[@]}" "$FLOOR_BIN" --url "$url" --key "$KEY" --cycles "$PERCALL_CYCLES" --warmup "$WARMUP" --out "$out" ;;
                ext) "${pin[@]}" "${PHP_EXT[@]}" "$root/bench/percall.php" ext "$work/wp" "$url" "$KEY" "$PERCALL_CYCLES" "$WARMUP" "$out" ;;
                wp) "${pin[@]}" "${PHP_EXT[@]}" "$root/bench/percall.php" wp "$work/wp" "$url" "$KEY" "$PERCALL_WP_CYCLES" "$WARMUP" "$out" ;;
                also) "${pin[@]}" "${PHP_ALSO[@]}" "$root/bench/percall.php" ext "$work/wp" "$url" "$KEY" "$PERCALL_CYCLES" "$WARMUP" "$out" ;;
            esac
            # TCP connections the simulator accepted for this run (minus the
            # control call's own).
            printf '%s\t%s\t%s\n' "$client" "$round" \
                "$(sim state | php -n -r '$s = json_decode(stream_get_contents(STDIN), true); echo $s["connections"] - 1, "\t", $s["requests"];')" \
                >> "$results/percall-$mode/connections.tsv"
        done
    done
done
SIM_URL="$free_sim_url"
API_URL="$SIM_URL/api/client"

# ------------------------------------------------------------- 2. idle cost
say "2. idle cost: php -n -r '' without and with the extension ($IDLE_ROUNDS rounds x $IDLE_PAIRS)"
: > "$results/idle.tsv"
for round in $(seq 1 "$IDLE_ROUNDS"); do
    python3 "$root/bench/idle.py" "$SO" "$IDLE_PAIRS" "$round" \
        --empty "$root/target/release/libcloste_bench_empty_ext.so" ${also:+--also "$also"} >> "$results/idle.tsv"
done
: > "$results/rss.tsv"
for _ in $(seq 1 "$RSS_RUNS"); do
    printf 'base\t%s\n' "$(php -n "$root/bench/rss.php")" >> "$results/rss.tsv"
    printf 'ext\t%s\n' "$(php -n -d "extension=$SO" "$root/bench/rss.php")" >> "$results/rss.tsv"
    if [ -n "$also" ]; then
        printf 'also\t%s\n' "$(php -n -d "extension=$also" "$root/bench/rss.php")" >> "$results/rss.tsv"
    fi
done
php -n -d "extension=$SO" "$root/bench/threads.php" "$API_URL" "$KEY" > "$results/threads.tsv"
if [ -n "$also" ]; then
    php -n -d "extension=$also" "$root/bench/threads.php" "$API_URL" "$KEY" | sed 's/^/also_build_/' >> "$results/threads.tsv"
fi

# ------------------------------------------------------------------ 4. FPM
say "4. PHP-FPM: connection reuse in one worker, and the idle request cost"
export CLOSTE_TEST_KEY="$KEY" CLOSTE_SIM_URL="$SIM_URL"
fpm_run() { # DIR SO WORKERS: starts PHP-FPM, sets $port
    fpm_dirs+=("$1")
    port="$(CLOSTE_SO="$2" FPM_WORKERS="$3" bash "$root/tests/fpm/fpm.sh" start "$1")"
}
fpm_stop() { bash "$root/tests/fpm/fpm.sh" stop "$1" >/dev/null 2>&1 || true; }
fcgi() { php -n "$root/tests/fpm/fcgi_client.php" "$@"; }
app="$root/tests/fpm/app.php"

# reuse_run LABEL WORKERS: FPM_REQUESTS add requests over WORKERS workers;
# records the API requests and the connections the simulator saw (less the
# control connection of `sim state`).
reuse_run() {
    local label="$1" workers="$2" suffix=""
    [ "$workers" -eq 1 ] || suffix="$workers"
    fpm_run "$work/fpm-reuse$suffix" "$SO" "$workers"
    sim reset
    fcgi --port "$port" --script "$app" --requests "$FPM_REQUESTS" --concurrency "$workers" --query op=add \
        > "$results/fpm-reuse-$workers.json" || true
    state="$(sim state)"
    printf '%s\t%s\t%s\t%s\n' "$label" "$FPM_REQUESTS" \
        "$(php -n -r 'echo json_decode($argv[1], true)["requests"];' "$state")" \
        "$(php -n -r 'echo json_decode($argv[1], true)["connections"] - 1;' "$state")" >> "$results/fpm.tsv"
    fpm_stop "$work/fpm-reuse$suffix"
}
: > "$results/fpm.tsv"
reuse_run 1_worker 1
reuse_run 4_workers 4

# Idle request cost under FPM (a request that never calls the extension):
# two single-worker pools side by side, driven in alternating batches. The
# harness always loads one extension, so the baseline pool loads
# calendar.so (no request hooks) in the closte slot.
fpm_run "$work/fpm-idle-without" "$(php -n -r 'echo ini_get("extension_dir");')/calendar.so" 1
port_without="$port"
fpm_run "$work/fpm-idle-with" "$SO" 1
port_with="$port"
: > "$results/fpm-idle.tsv"
for variant in without with; do
    p="port_$variant"
    fcgi --port "${!p}" --script "$app" --requests 200 --concurrency 1 --query op=none >/dev/null || true
done
# Besides the wall time per request (which includes this FastCGI client),
# the CPU time the worker itself spent (/proc/PID/schedstat, ns).
worker_without="$(pgrep -P "$(cat "$work/fpm-idle-without/fpm.pid")" | head -1)"
worker_with="$(pgrep -P "$(cat "$work/fpm-idle-with/fpm.pid")" | head -1)"
cpu_ns() { cut -d' ' -f1 "/proc/$1/schedstat"; }
for round in $(seq 1 "$FPM_IDLE_ROUNDS"); do
    order="without with"
    [ $((round % 2)) -eq 0 ] && order="with without"
    for variant in $order; do
        p="port_$variant"
        w="worker_$variant"
        before="$(cpu_ns "${!w}")"
        fcgi --port "${!p}" --script "$app" --requests "$FPM_IDLE_REQUESTS" --concurrency 1 --query op=none \
            > "$work/fpm-idle.json" || true
        after="$(cpu_ns "${!w}")"
        printf '%s\t%s\t%s\t%s\n' "$round" "$variant" \
            "$(php -n -r '$s = json_decode(file_get_contents($argv[1]), true); printf("%.1f", $s["elapsed_s"] * 1e6 / $s["requests"]);' "$work/fpm-idle.json")" \
            "$(( (after - before) / FPM_IDLE_REQUESTS / 100 ))e-1" >> "$results/fpm-idle.tsv"
    done
done
fpm_stop "$work/fpm-idle-without"
fpm_stop "$work/fpm-idle-with"

# ------------------------------------------------------------------- 3. bulk
say "3. bulk: closte_sync_domains (concurrency $CONCURRENCY) vs sequential adds, ${LATENCY_MS} ms per call"
: > "$results/bulk.tsv"
for size in $BULK_SIZES; do
    repeat="$BULK_REPEAT"
    [ "$size" -ge 20000 ] && repeat=1
    for _ in $(seq 1 "$repeat"); do
        php -n -d "extension=$SO" "$root/bench/bulk.php" sync "$SIM_URL" "$KEY" "$size" "$CONCURRENCY" "$LATENCY_MS" \
            | tee -a "$results/bulk.tsv" >&2
    done
done
if [ -n "$also" ]; then
    php -n -d "extension=$also" "$root/bench/bulk.php" sync "$SIM_URL" "$KEY" 5000 "$CONCURRENCY" "$LATENCY_MS" \
        | sed 's/^sync/sync_also/' | tee -a "$results/bulk.tsv" >&2
fi
php -n -d "extension=$SO" "$root/bench/bulk.php" seq "$SIM_URL" "$KEY" "$SEQ_DOMAINS" 1 "$LATENCY_MS" \
    | tee -a "$results/bulk.tsv" >&2
sim nofault

# ------------------------------------------------------------------ report
say "results"
python3 "$root/bench/report.py" "$results" "$root/docs"
elapsed=$(( $(date +%s) - started_at ))
printf '\nbench.sh: %d s (%s); raw figures in target/bench/, charts in docs/perf-percall.svg and docs/perf-bulk.svg\n' \
    "$elapsed" "$([ "$quick" -eq 1 ] && echo quick || echo full)"
