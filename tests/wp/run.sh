#!/usr/bin/env bash
# WordPress plugin tests in a real multisite.
#
# Installs what is missing (Debian packages only), starts a private MariaDB
# on loopback, installs WordPress twice (a subdomain and a subdirectory
# network) with wp-plugin/ and the Ultimate Multisite stand-in, starts the
# Closte simulator, then runs every tests/wp/*_test.php once per network.
# Everything it started is stopped on exit. The last line is
# `N passed, N failed`; the exit status is non-zero when anything failed.
#
# Environment: CLOSTE_SO (the extension), CLOSTE_SIM (the simulator binary),
# CLOSTE_WP_KEEP=1 keeps the temporary directory for inspection.
# Test files may carry a marker line:
#   @closte-run without-extension   run without the extension loaded
#   @closte-run once                run once, after all the others
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
CLOSTE_SO="${CLOSTE_SO:-$root/target/release/libcloste.so}"
CLOSTE_SIM="${CLOSTE_SIM:-$root/target/release/closte-sim}"
TEST_KEY='sk_test_SECRET_abc123'
PACKAGES=(php8.2-cli php8.2-mysql php8.2-curl php8.2-mbstring php8.2-xml mariadb-server wordpress)
started=$(date +%s)
passed=0
failed=0
work=""
db_pid=""
sim_pid=""

cleanup() {
    if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; fi
    if [ -n "$db_pid" ]; then
        kill "$db_pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$db_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$db_pid" 2>/dev/null
    fi
    if [ -n "$work" ] && [ "${CLOSTE_WP_KEEP:-0}" != 1 ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

setup_failed() { # the harness itself could not start: one failure
    echo "setup failed: $*"
    [ -n "$work" ] && for f in "$work"/*.log; do [ -f "$f" ] && tail -n 20 "$f"; done
    echo "0 passed, 1 failed"
    exit 1
}

ensure_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

locate_artifacts() { # builds nothing: the extension and the simulator come from the Rust build
    [ -f "$CLOSTE_SO" ] || setup_failed "extension not found at $CLOSTE_SO (build it first, or set CLOSTE_SO)"
    [ -x "$CLOSTE_SIM" ] || setup_failed "simulator not found at $CLOSTE_SIM (build it first, or set CLOSTE_SIM)"
}

free_port() {
    php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);'
}

start_mariadb() {
    db_port="$(free_port)"
    db_sock="$work/mysqld.sock"
    mariadb-install-db --no-defaults --datadir="$work/db" --user=root --skip-test-db \
        --auth-root-authentication-method=socket >"$work/db-install.log" 2>&1 ||
        setup_failed "mariadb-install-db"
    mariadbd --no-defaults --datadir="$work/db" --user=root --bind-address=127.0.0.1 \
        --port="$db_port" --socket="$db_sock" --pid-file="$work/mysqld.pid" \
        --skip-log-bin --skip-name-resolve --innodb-buffer-pool-size=32M \
        --innodb-flush-log-at-trx-commit=0 >"$work/mysqld.log" 2>&1 &
    db_pid=$!
    for _ in $(seq 1 150); do
        mariadb-admin --no-defaults --socket="$db_sock" -uroot ping >/dev/null 2>&1 && break
        sleep 0.2
    done
    mariadb-admin --no-defaults --socket="$db_sock" -uroot ping >/dev/null 2>&1 || setup_failed "mariadbd did not start"
    mariadb --no-defaults --socket="$db_sock" -uroot <<SQL || setup_failed "database setup"
CREATE DATABASE wp_sub; CREATE DATABASE wp_dir;
CREATE USER 'wp'@'127.0.0.1' IDENTIFIED BY 'wp-test-password';
GRANT ALL ON wp_sub.* TO 'wp'@'127.0.0.1'; GRANT ALL ON wp_dir.* TO 'wp'@'127.0.0.1';
SQL
}

# install_wp NAME DOMAIN SUBDOMAIN(1|0)
install_wp() {
    local name="$1" domain="$2" sub="$3" dir="$work/wp-$1"
    mkdir -p "$dir"
    tar -C /usr/share/wordpress -chf - --exclude=./wp-content/languages --exclude=./wp-config.php . |
        tar -C "$dir" -xf - || setup_failed "copy WordPress"
    ln -s "$root/wp-plugin" "$dir/wp-content/plugins/closte-native"
    ln -s "$here/fixtures/ultimate-multisite-stand-in" "$dir/wp-content/plugins/ultimate-multisite-stand-in"
    mkdir -p "$dir/wp-content/mu-plugins" "$dir/wp-content/uploads"
    ln -s "$here/fixtures/mu-plugins/ultimate-multisite-stand-in-early.php" "$dir/wp-content/mu-plugins/"
    php -n -r 'echo str_replace(
        ["%DB_NAME%", "%DB_HOST%", "%KEY%", "%SALT%"],
        [$argv[1], $argv[2], $argv[3], bin2hex(random_bytes(32))],
        file_get_contents($argv[4]));' \
        "wp_$name" "127.0.0.1:$db_port" "$TEST_KEY" "$here/fixtures/wp-config.php.in" >"$dir/wp-config.php"
    { php "$here/lib/install.php" network "$dir" "$domain" "$sub" &&
        php -d extension="$CLOSTE_SO" "$here/lib/install.php" activate "$dir" "$domain" "$sub"; } \
        >"$work/install-$name.log" 2>&1 || setup_failed "WordPress install ($name)"
}

start_simulator() {
    local port_file="$work/sim.port"
    "$CLOSTE_SIM" --listen 127.0.0.1:0 --port-file "$port_file" --key "$TEST_KEY" --quiet >"$work/sim.log" 2>&1 &
    sim_pid=$!
    for _ in $(seq 1 100); do [ -s "$port_file" ] && break; sleep 0.05; done
    [ -s "$port_file" ] || setup_failed "closte-sim did not start"
    sim_url="http://127.0.0.1:$(tr -dc '0-9' <"$port_file")"
}

add_counts() { # adds the last `N passed, N failed` line of a file; none means a crash
    local line p f
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)"
    if [ -z "$line" ]; then failed=$((failed + 1)); echo "   result: no result line (crash?), counted as 1 failure"; return; fi
    p="${line%% passed*}"; f="${line#*, }"; f="${f%% failed}"
    passed=$((passed + p)); failed=$((failed + f))
    echo "   result: $p passed, $f failed"
}

# run_test FILE NETWORK(sub|dir|all)
run_test() {
    local file="$1" net="$2" out ext=(-d "extension=$CLOSTE_SO")
    out="$work/out/$(basename "$file" .php)-$net.txt"
    grep -q '@closte-run without-extension' "$file" && ext=()
    case "$net" in
        sub) set -- "$work/wp-sub" net-sub.test subdomain ;;
        dir) set -- "$work/wp-dir" net-dir.test subdirectory ;;
        *) set -- "" "" "" ;;
    esac
    CLOSTE_WP_DIR="$1" CLOSTE_WP_DOMAIN="$2" CLOSTE_WP_NETWORK="$3" CLOSTE_WP_WORK="$work" \
        CLOSTE_SIM_URL="$sim_url" CLOSTE_TEST_KEY="$TEST_KEY" \
        timeout 240 php "${ext[@]}" -d "closte.api_url=$sim_url/api/client" -d closte.timeout=5 \
        -d closte.connect_timeout=2 "$file" >"$out" 2>&1
    echo "== $(basename "$file") [$net]"
    grep -vE '^[0-9]+ passed, [0-9]+ failed$' "$out"
    add_counts "$out"
}

ensure_packages || setup_failed "package installation"
locate_artifacts
work="$(mktemp -d /tmp/closte-wp.XXXXXX)"
mkdir -p "$work/out"
start_mariadb
install_wp sub net-sub.test 1
install_wp dir net-dir.test 0
start_simulator
echo "setup took $(($(date +%s) - started)) s (MariaDB on 127.0.0.1:$db_port, simulator $sim_url)"

later=()
for file in "$here"/*_test.php; do
    if grep -q '@closte-run once' "$file"; then later+=("$file"); continue; fi
    run_test "$file" sub
    run_test "$file" dir
done
for file in "${later[@]}"; do run_test "$file" all; done

echo "tests/wp took $(($(date +%s) - started)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
