#!/usr/bin/env bash
# The performance benchmark (docs/PERFORMANCE.md explains it).
#
#   bash scripts/bench.sh            full run (about 7 minutes on 2 cores, plus
#                                    the first build)
#   bash scripts/bench.sh --quick    fewer rounds and samples (about 2 minutes)
#   bash scripts/bench.sh --before COMMIT
#                                    builds COMMIT in a worktree of its own
#                                    (one already at COMMIT, else a new
#                                    /tmp/closte-before-COMMIT; its own target
#                                    dir) and measures it next to this build
#   bash scripts/bench.sh --also /path/to/other/libcloste.so [--also-label TEXT]
#                                    the same with a build made elsewhere
#   bash scripts/bench.sh --update-docs
#                                    also redraws docs/perf-*.svg and rewrites
#                                    the generated part of docs/PERFORMANCE.md
#
# Self-contained from a fresh clone: installs the Debian packages it needs
# (when missing), builds the workspace in release mode, starts on loopback
# the Closte simulator, a TLS proxy that adds 20 ms per round trip
# (bench/tlsproxy.py), a private MariaDB + WordPress and PHP-FPM pools, and
# stops them all on exit. Prints the tables and writes them, the raw figures
# and the charts to target/bench/. It prints figures; it does not fail on
# slow ones.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

quick=0
also=""
before=""
update_docs=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --also) also="$(realpath "${2:?--also needs the path of another libcloste.so}")"; shift ;;
        --also-label) export BENCH_ALSO_LABEL="${2:?--also-label needs a text}"; shift ;;
        --before) before="${2:?--before needs a commit}"; shift ;;
        --update-docs) update_docs=1 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

if [ "$quick" -eq 1 ]; then
    PERCALL_ROUNDS=3 PERCALL_CYCLES=300 PERCALL_WP_CYCLES=150
    NET_ROUNDS=2 NET_CYCLES=10 NET_WARMUP=2 FIRST_RUNS=5
    IDLE_ROUNDS=3 IDLE_PAIRS=60 RSS_RUNS=5
    BULK_SIZES="1000 5000" BULK_REPEAT=1 SEQ_DOMAINS=100 TLS_BULK_REPEAT=0
    FPM_REQUESTS=100 FPM_IDLE_REQUESTS=250 FPM_IDLE_ROUNDS=10
else
    PERCALL_ROUNDS=5 PERCALL_CYCLES=2000 PERCALL_WP_CYCLES=1000
    NET_ROUNDS=5 NET_CYCLES=30 NET_WARMUP=3 FIRST_RUNS=20
    IDLE_ROUNDS=5 IDLE_PAIRS=200 RSS_RUNS=15
    BULK_SIZES="1000 5000 20000" BULK_REPEAT=3 SEQ_DOMAINS=1000 TLS_BULK_REPEAT=1
    FPM_REQUESTS=1000 FPM_IDLE_REQUESTS=250 FPM_IDLE_ROUNDS=40
fi
WARMUP=100
export BENCH_DELAY_MS=20 BENCH_CONCURRENCY=16
KEY="bench-key-0123456789"

say() { printf '\n== %s\n' "$*" >&2; }
# The WordPress the plugin is tested on (../shared/fixtures, WordPress 7.0.1):
# its wp_remote_post is what Ultimate Multisite's built-in integration uses.
WP_FIXTURE="${CLOSTE_FIXTURES:-$(cd "$root/.." && pwd)/shared/fixtures}/wordpress"
[ -f "$WP_FIXTURE/wp-load.php" ] || { echo "WordPress fixture not found at $WP_FIXTURE" >&2; exit 1; }
started_at=$(date +%s)

# ------------------------------------------------------------ packages, build
say "packages"
packages=(php8.2-cli php8.2-dev php8.2-fpm php8.2-mysql php8.2-curl libclang-dev
          mariadb-server python3 openssl)
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
EMPTY_SO="$root/target/release/libcloste_bench_empty_ext.so"
for f in "$SO" "$SIM_BIN" "$EMPTY_SO"; do
    [ -f "$f" ] || { echo "missing build output: $f" >&2; exit 1; }
done
if [ -n "$before" ]; then
    # The other build from its own worktree and target dir, so that this
    # tree's build is left alone.
    commit="$(git rev-parse --short=7 "$before^{commit}")"
    # A worktree already checked out at that commit is reused (its target
    # dir makes the build incremental); else one is made.
    tree="$(git worktree list --porcelain | awk -v c="$(git rev-parse "$commit")" \
        '/^worktree /{w = substr($0, 10)} /^HEAD /{if ($2 == c) {print w; exit}}')"
    if [ -z "$tree" ]; then
        tree="/tmp/closte-before-$commit"
        git worktree add --detach "$tree" "$commit" >&2
    fi
    say "build of $commit in $tree"
    (cd "$tree" && cargo build --release -p closte --quiet)
    also="$tree/target/release/libcloste.so"
    export BENCH_ALSO_LABEL="${BENCH_ALSO_LABEL:-before ($commit)}"
fi

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
    printf 'extension\t%s\n' "$(php -n -d "extension=$SO" -r 'echo closte_version();')"
    [ -z "$also" ] || printf 'other build\t%s\n' "$(php -n -d "extension=$also" -r 'echo closte_version();')"
    printf 'WordPress\t%s\n' "$(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$WP_FIXTURE/wp-includes/version.php")"
    printf 'mode\t%s\n' "$([ "$quick" -eq 1 ] && echo quick || echo full)"
    printf 'load average at start\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$results/machine.tsv"
{
    printf 'ext\t%s\n' "$(stat -c %s "$SO")"
    [ -z "$also" ] || printf 'also\t%s\n' "$(stat -c %s "$also")"
    printf 'empty\t%s\n' "$(stat -c %s "$EMPTY_SO")"
} > "$results/sizes.tsv"

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
# Clients run on CPU 0. Pinned simulators: one on CPU 0, one on CPU 1 (when
# there is one); the bulk runs talk to an unpinned one.
server_cpu=0
[ "$(nproc)" -ge 2 ] && server_cpu=1
start_sim taskset -c 0
SIM_URL_CPU0="$SIM_URL"
percall_modes=(same-cpu)
if [ "$server_cpu" -eq 1 ]; then
    start_sim taskset -c 1
    percall_modes+=(cross-cpu)
fi
SIM_URL_SERVER="$SIM_URL"
start_sim
SIM_URL_FREE="$SIM_URL"

# The network stand-in: TLS with a test CA, 20 ms per round trip, in front
# of the server-side simulator, on the server's CPU. It stops by itself
# after an hour if this script is killed without its clean-up.
say "TLS proxy, ${BENCH_DELAY_MS} ms per round trip (bench/tlsproxy.py)"
mkdir "$work/tls"
taskset -c "$server_cpu" python3 "$root/bench/tlsproxy.py" --upstream "${SIM_URL_SERVER#http://}" \
    --dir "$work/tls" --port-file "$work/tls/ports" --delay-ms "$BENCH_DELAY_MS" --lifetime 3600 \
    2>"$work/tls/err" &
pids+=($!)
for _ in $(seq 1 200); do
    [ -s "$work/tls/ports" ] && break
    sleep 0.05
done
[ -s "$work/tls/ports" ] || { echo "tlsproxy did not start" >&2; cat "$work/tls/err" >&2; exit 1; }
read -r tls_keep_port tls_close_port < "$work/tls/ports"
TLS_URL="https://127.0.0.1:$tls_keep_port/api/client"        # kept alive
TLS_CLOSE_URL="https://127.0.0.1:$tls_close_port/api/client" # closed after each answer
CA_FILE="$work/tls/ca.pem"

# ------------------------------------------------------ MariaDB + WordPress
say "private MariaDB and WordPress ($WP_FIXTURE) for the wp_remote_post path"
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
cp -R "$WP_FIXTURE/." "$work/wp/"
chmod -R u+w "$work/wp"
mkdir -p "$work/wp/wp-content/plugins" "$work/wp/wp-content/themes" "$work/wp/wp-content/uploads"
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
# One PHP command line for every PHP client: no php.ini, the extensions
# WordPress needs (cURL is what WordPress's HTTP API uses when present, as
# on almost every host), and the closte extension. php_for SO URL.
php_for() {
    PHPX=(php -n -d extension=mysqlnd -d extension=mysqli -d extension=curl -d "extension=$1"
          -d "closte.api_url=$2" -d memory_limit=512M)
}
php_for "$SO" "$API_URL"
"${PHPX[@]}" "$root/bench/wp-install.php" "$work/wp" >"$work/wp-install.log" 2>&1 \
    || { cat "$work/wp-install.log" >&2; exit 1; }

pin=(taskset -c 0)
# run_client CLIENT URL CYCLES WARMUP OUT: one PHP process of bench/percall.php;
# the client names say which build and which PHP path.
run_client() {
    local client="$1" url="$2" so="$SO" mode
    case "$client" in also*) so="$also" ;; esac
    case "$client" in
        ext*|also*) mode=ext ;;
        *) mode="$client" ;;
    esac
    php_for "$so" "$url"
    "${pin[@]}" "${PHPX[@]}" "$root/bench/percall.php" "$mode" "$work/wp" "$url" "$KEY" "$3" "$4" "$5"
}
# TCP connections the simulator accepted for the last run (minus the
# control call's own), and its API requests.
count_connections() {
    printf '%s\t%s\t%s\n' "$1" "$2" \
        "$(sim state | php -n -r '$s = json_decode(stream_get_contents(STDIN), true); echo $s["connections"] - 1, "\t", $s["requests"];')"
}

# ------------------------------------------------- 1. per call, 20 ms and TLS
# The set-up that decides: a round trip of 20 ms, TLS with certificate
# verification, the server on the other CPU. "ext" keeps its connection
# (reuse within a process is automatic); "ext-new" talks to the port that
# answers `Connection: close`, so every call connects and shakes hands;
# wp_remote_post and curl open a new connection per call by themselves.
say "1. per call at ${BENCH_DELAY_MS} ms per round trip over TLS ($NET_ROUNDS rounds x $NET_CYCLES cycles)"
SIM_URL="$SIM_URL_SERVER"
dir="$results/percall-tls"
mkdir -p "$dir"
clients=(ext ext-new wp curl curl-keep)
[ -n "$also" ] && clients+=(also also-new)
n_clients=${#clients[@]}
export SSL_CERT_FILE="$CA_FILE"
for round in $(seq 1 "$NET_ROUNDS"); do
    # Rotate the order so that no client always runs first or last.
    for k in $(seq 0 $((n_clients - 1))); do
        client="${clients[$(((k + round) % n_clients))]}"
        url="$TLS_URL"
        case "$client" in *-new) url="$TLS_CLOSE_URL" ;; esac
        sim reset
        run_client "$client" "$url" "$NET_CYCLES" "$NET_WARMUP" "$dir/$client-$round.txt"
        count_connections "$client" "$round" >> "$dir/connections.tsv"
    done
done
# The first call of a process: what a CLI script or a new PHP-FPM worker
# pays once (the client is made, the CA read, a full handshake).
firsts=(ext)
[ -n "$also" ] && firsts+=(also)
for i in $(seq 1 "$FIRST_RUNS"); do
    for client in "${firsts[@]}"; do
        run_client "$client" "$TLS_URL" 1 0 "$work/first.txt"
        grep -E '^(add|#)' "$work/first.txt" >> "$dir/first-$client-1.txt"
    done
done
unset SSL_CERT_FILE

# --------------------------------------------------- 2. per call, loopback
# Plain HTTP straight to the simulator: what each client itself costs.
# "same-cpu": the simulator shares CPU 0, so a round trip is two context
# switches on one core. "cross-cpu": the simulator runs on CPU 1, so every
# answer also pays for waking the other vCPU, as a server on another core
# would. (Left unpinned, the scheduler picks one or the other at random.)
say "2. per call on loopback, no TLS ($PERCALL_ROUNDS rounds, ${percall_modes[*]})"
clients=(ext wp curl)
[ -n "$also" ] && clients+=(also)
n_clients=${#clients[@]}
for mode in "${percall_modes[@]}"; do
    SIM_URL="$SIM_URL_CPU0"
    [ "$mode" = cross-cpu ] && SIM_URL="$SIM_URL_SERVER"
    dir="$results/percall-$mode"
    mkdir -p "$dir"
    for round in $(seq 1 "$PERCALL_ROUNDS"); do
        for k in $(seq 0 $((n_clients - 1))); do
            client="${clients[$(((k + round) % n_clients))]}"
            cycles="$PERCALL_CYCLES"
            [ "$client" = ext ] || [ "$client" = also ] || cycles="$PERCALL_WP_CYCLES"
            sim reset
            run_client "$client" "$SIM_URL/api/client" "$cycles" "$WARMUP" "$dir/$client-$round.txt"
            count_connections "$client" "$round" >> "$dir/connections.tsv"
        done
    done
done
SIM_URL="$SIM_URL_FREE"
API_URL="$SIM_URL/api/client"

# ------------------------------------------------------------- 3. idle cost
say "3. idle cost: php -n -r '' without and with the extension ($IDLE_ROUNDS rounds x $IDLE_PAIRS)"
: > "$results/idle.tsv"
for round in $(seq 1 "$IDLE_ROUNDS"); do
    python3 "$root/bench/idle.py" "$SO" "$IDLE_PAIRS" "$round" \
        --empty "$EMPTY_SO" ${also:+--also "$also"} >> "$results/idle.tsv"
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
# records the API requests and the connections the simulator saw.
reuse_run() {
    local label="$1" workers="$2"
    fpm_run "$work/fpm-reuse-$workers" "$SO" "$workers"
    sim reset
    fcgi --port "$port" --script "$app" --requests "$FPM_REQUESTS" --concurrency "$workers" --query op=add \
        > "$results/fpm-reuse-$workers.json" || true
    state="$(sim state)"
    printf '%s\t%s\t%s\t%s\n' "$label" "$FPM_REQUESTS" \
        "$(php -n -r 'echo json_decode($argv[1], true)["requests"];' "$state")" \
        "$(php -n -r 'echo json_decode($argv[1], true)["connections"] - 1;' "$state")" >> "$results/fpm.tsv"
    fpm_stop "$work/fpm-reuse-$workers"
}
: > "$results/fpm.tsv"
reuse_run 1_worker 1
reuse_run 4_workers 4

# Idle request cost under FPM (a request that never calls the extension):
# single-worker pools side by side, driven in alternating batches. The
# harness always loads one extension, so the baseline pool loads
# calendar.so (no request hooks) in the closte slot.
variants=(without with)
fpm_run "$work/fpm-idle-without" "$(php -n -r 'echo ini_get("extension_dir");')/calendar.so" 1
port_without="$port"
fpm_run "$work/fpm-idle-with" "$SO" 1
port_with="$port"
if [ -n "$also" ]; then
    fpm_run "$work/fpm-idle-also" "$also" 1
    port_also="$port"
    variants+=(also)
fi
: > "$results/fpm-idle.tsv"
for variant in "${variants[@]}"; do
    p="port_$variant"
    fcgi --port "${!p}" --script "$app" --requests 200 --concurrency 1 --query op=none >/dev/null || true
    declare "worker_$variant=$(pgrep -P "$(cat "$work/fpm-idle-$variant/fpm.pid")" | head -1)"
done
# Besides the wall time per request (which includes this FastCGI client),
# the CPU time the worker itself spent (/proc/PID/schedstat, ns).
cpu_ns() { cut -d' ' -f1 "/proc/$1/schedstat"; }
for round in $(seq 1 "$FPM_IDLE_ROUNDS"); do
    # A different order each round, so that none is always first.
    shift_by=$((round % ${#variants[@]}))
    order=("${variants[@]:$shift_by}" "${variants[@]:0:$shift_by}")
    for variant in "${order[@]}"; do
        p="port_$variant"
        w="worker_$variant"
        before_ns="$(cpu_ns "${!w}")"
        fcgi --port "${!p}" --script "$app" --requests "$FPM_IDLE_REQUESTS" --concurrency 1 --query op=none \
            > "$work/fpm-idle.json" || true
        after_ns="$(cpu_ns "${!w}")"
        printf '%s\t%s\t%s\t%s\n' "$round" "$variant" \
            "$(php -n -r '$s = json_decode(file_get_contents($argv[1]), true); printf("%.1f", $s["elapsed_s"] * 1e6 / $s["requests"]);' "$work/fpm-idle.json")" \
            "$(( (after_ns - before_ns) / FPM_IDLE_REQUESTS / 100 ))e-1" >> "$results/fpm-idle.tsv"
    done
done
for variant in "${variants[@]}"; do
    fpm_stop "$work/fpm-idle-$variant"
done

# ------------------------------------------------------------------- 5. bulk
# closte_sync_domains at concurrency 16 against the simulator's latency
# fault (20 ms per call), then through the TLS proxy (20 ms per round trip,
# handshakes included); sequential adds for comparison.
say "5. bulk: closte_sync_domains (concurrency $BENCH_CONCURRENCY) vs sequential adds, ${BENCH_DELAY_MS} ms per call"
: > "$results/bulk.tsv"
bulk() { # SO MODE DOMAINS CONCURRENCY LATENCY_MS [API_URL]
    local so="$1"
    shift
    "${pin[@]}" php -n -d "extension=$so" "$root/bench/bulk.php" "$1" "$SIM_URL" "$KEY" "$2" "$3" "$4" "${5:-}"
}
for size in $BULK_SIZES; do
    repeat="$BULK_REPEAT"
    [ "$size" -ge 20000 ] && repeat=1
    for _ in $(seq 1 "$repeat"); do
        bulk "$SO" sync "$size" "$BENCH_CONCURRENCY" "$BENCH_DELAY_MS" | tee -a "$results/bulk.tsv" >&2
        if [ -n "$also" ] && [ "$size" -eq 5000 ]; then
            bulk "$also" sync 5000 "$BENCH_CONCURRENCY" "$BENCH_DELAY_MS" \
                | sed 's/^sync/sync_also/' | tee -a "$results/bulk.tsv" >&2
        fi
    done
done
bulk "$SO" seq "$SEQ_DOMAINS" 1 "$BENCH_DELAY_MS" | tee -a "$results/bulk.tsv" >&2
SIM_URL="$SIM_URL_SERVER"
export SSL_CERT_FILE="$CA_FILE"
for _ in $(seq 1 "$TLS_BULK_REPEAT"); do
    bulk "$SO" sync 5000 "$BENCH_CONCURRENCY" 0 "$TLS_URL" | sed 's/^sync/sync_tls/' | tee -a "$results/bulk.tsv" >&2
    if [ -n "$also" ]; then
        bulk "$also" sync 5000 "$BENCH_CONCURRENCY" 0 "$TLS_URL" | sed 's/^sync/sync_tls_also/' | tee -a "$results/bulk.tsv" >&2
    fi
done
unset SSL_CERT_FILE
printf 'load average at the end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$results/machine.tsv"

# ------------------------------------------------------------------ report
say "results"
docs_args=()
[ "$update_docs" -eq 1 ] && docs_args=(--update-docs "$root/docs")
python3 "$root/bench/report.py" "$results" "${docs_args[@]}"
elapsed=$(( $(date +%s) - started_at ))
printf '\nbench.sh: %d s (%s); tables, raw figures and charts in target/bench/%s\n' \
    "$elapsed" "$([ "$quick" -eq 1 ] && echo quick || echo full)" \
    "$([ "$update_docs" -eq 1 ] && echo '; docs/PERFORMANCE.md and docs/perf-*.svg rewritten')"
