# Set-up shared by the suites that run a real WordPress multisite:
# tests/wp/run.sh and tests/browser/run.sh. Source it near the top; it sets
# the defaults below and defines functions, nothing runs yet.
#
# The caller owns two globals the functions use:
#   work      its temporary directory ("" until created); logs go there
#   TEST_KEY  the Closte API key of the simulator and of wp-config.php (set here)
# Every process started here is recorded in env_pids; the caller's EXIT trap
# calls env_cleanup, which stops them, newest first, and removes $work.

env_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
env_wp_tests="$env_root/tests/wp"
# shellcheck source=../../../scripts/lib/apt.sh
source "$env_root/scripts/lib/apt.sh"

CLOSTE_SO="${CLOSTE_SO:-$env_root/target/release/libcloste.so}"
CLOSTE_SIM="${CLOSTE_SIM:-$env_root/target/release/closte-sim}"
TEST_KEY='sk_test_SECRET_abc123'
# What PHP, MariaDB and WordPress need (Debian packages).
ENV_WP_PACKAGES=(php8.2-cli php8.2-mysql php8.2-curl php8.2-mbstring php8.2-xml mariadb-server)
env_pids=()

# env_cleanup KEEP: stops what was started, newest first; removes $work unless KEEP is 1.
env_cleanup() {
    local keep="${1:-0}" pid i children
    for ((i = ${#env_pids[@]} - 1; i >= 0; i--)); do
        pid="${env_pids[$i]}"
        # PHP's built-in server forks PHP_CLI_SERVER_WORKERS workers that outlive their parent.
        children="$(pgrep -P "$pid" 2>/dev/null | tr '\n' ' ')"
        [ -n "$children" ] && kill $children 2>/dev/null
        kill "$pid" 2>/dev/null || continue
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    env_pids=()
    if [ -n "$work" ] && [ "$keep" != 1 ]; then rm -rf "$work"; fi
}

setup_failed() { # the harness itself could not start: one failure
    echo "setup failed: $*"
    [ -n "$work" ] && for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done
    echo "0 passed, 1 failed"
    exit 1
}

check_artifacts() { # builds nothing: the extension and the simulator come from the Rust build
    [ -f "$CLOSTE_SO" ] || setup_failed "extension not found at $CLOSTE_SO (build it first, or set CLOSTE_SO)"
    [ -x "$CLOSTE_SIM" ] || setup_failed "simulator not found at $CLOSTE_SIM (build it first, or set CLOSTE_SIM)"
}

free_port() {
    php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false); echo substr($n, strrpos($n, ":") + 1);'
}

wait_for() { # wait_for SECONDS COMMAND...: polls every 0.1 s
    local tries=$(($1 * 10)); shift
    for _ in $(seq 1 "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}

# start_mariadb DATABASE...: a private MariaDB on a free loopback port (socket
# in $work), with the databases and a user 'wp' allowed on them; sets db_host.
start_mariadb() {
    local port sock="$work/mysqld.sock" sql="" db
    port="$(free_port)"
    mariadb-install-db --no-defaults --datadir="$work/db" --user=root --skip-test-db \
        --auth-root-authentication-method=socket >"$work/db-install.log" 2>&1 ||
        setup_failed "mariadb-install-db"
    mariadbd --no-defaults --datadir="$work/db" --user=root --bind-address=127.0.0.1 \
        --port="$port" --socket="$sock" --pid-file="$work/mysqld.pid" \
        --skip-log-bin --skip-name-resolve --innodb-buffer-pool-size=32M \
        --innodb-flush-log-at-trx-commit=0 >"$work/mysqld.log" 2>&1 &
    env_pids+=($!)
    wait_for 30 mariadb-admin --no-defaults --socket="$sock" -uroot ping || setup_failed "mariadbd did not start"
    for db in "$@"; do sql+="CREATE DATABASE $db;"$'\n'; done
    sql+="CREATE USER 'wp'@'127.0.0.1' IDENTIFIED BY 'wp-test-password';"$'\n'
    for db in "$@"; do sql+="GRANT ALL ON $db.* TO 'wp'@'127.0.0.1';"$'\n'; done
    mariadb --no-defaults --socket="$sock" -uroot <<<"$sql" || setup_failed "database setup"
    db_host="127.0.0.1:$port"
}

# The real third-party code the tests run against (read-only): WordPress
# 7.0.1 and Ultimate Multisite 2.14.2 from ../shared/fixtures (its README).
ENV_FIXTURES="${CLOSTE_FIXTURES:-$(cd "$env_root/.." && pwd)/shared/fixtures}"

# copy_wordpress DIR DATABASE [MU_PLUGIN...]: the fixtures' WordPress copied
# into DIR (core only: wp-content is made here), wp-plugin/ and the real
# Ultimate Multisite linked in as network plugins, the tests' environment
# mu-plugin and the given ones, and a wp-config.php for DATABASE on $db_host.
copy_wordpress() {
    local dir="$1" db="$2" mu
    shift 2
    [ -f "$ENV_FIXTURES/wordpress/wp-settings.php" ] && [ -f "$ENV_FIXTURES/ultimate-multisite/ultimate-multisite.php" ] ||
        setup_failed "fixtures not found in $ENV_FIXTURES (../shared/fixtures beside the checkout, or set CLOSTE_FIXTURES)"
    mkdir -p "$dir"
    # A copy, not links: wp-admin's files find wp-load.php through __DIR__.
    cp -R "$ENV_FIXTURES/wordpress/." "$dir/" || setup_failed "copy WordPress"
    chmod -R u+w "$dir"
    mkdir -p "$dir/wp-content/plugins" "$dir/wp-content/mu-plugins" "$dir/wp-content/uploads" "$dir/wp-content/themes"
    ln -s "$env_root/wp-plugin" "$dir/wp-content/plugins/closte-native"
    ln -s "$ENV_FIXTURES/ultimate-multisite" "$dir/wp-content/plugins/ultimate-multisite"
    for mu in "$env_wp_tests/fixtures/mu-plugins/closte-test-env.php" "$@"; do
        ln -s "$mu" "$dir/wp-content/mu-plugins/"
    done
    php -n -r 'echo str_replace(
        ["%DB_NAME%", "%DB_HOST%", "%KEY%", "%SALT%"],
        [$argv[1], $argv[2], $argv[3], bin2hex(random_bytes(32))],
        file_get_contents($argv[4]));' \
        "$db" "$db_host" "$TEST_KEY" "$env_wp_tests/fixtures/wp-config.php.in" >"$dir/wp-config.php"
}

# install_network DIR DOMAIN SUBDOMAIN(1|0) LOG [PHP_ARG...]: turns the copy
# into a multisite network, network-activates Ultimate Multisite and
# closte-native with php PHP_ARG... (the extension loaded), then sets
# Ultimate Multisite up the way its wizard would (tables, domain mapping on,
# the Closte host integration on); output to $work/LOG.
install_network() {
    local dir="$1" domain="$2" sub="$3" log="$4"
    shift 4
    { php "$env_wp_tests/lib/install.php" network "$dir" "$domain" "$sub" &&
        php "$@" "$env_wp_tests/lib/install.php" activate "$dir" "$domain" "$sub" &&
        php "$@" "$env_wp_tests/lib/install.php" setup "$dir" "$domain" "$sub"; } \
        >"$work/$log" 2>&1 || setup_failed "WordPress install ($log)"
}

start_simulator() { # closte-sim on a free loopback port, accepting $TEST_KEY; sets sim_url
    local port_file="$work/sim.port"
    "$CLOSTE_SIM" --listen 127.0.0.1:0 --port-file "$port_file" --key "$TEST_KEY" --quiet >"$work/sim.log" 2>&1 &
    env_pids+=($!)
    wait_for 10 test -s "$port_file" || setup_failed "closte-sim did not start"
    sim_url="http://127.0.0.1:$(tr -dc '0-9' <"$port_file")"
}

add_counts() { # adds the last `N passed, N failed` line of a file to passed/failed; none means a crash
    local line p f
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)"
    if [ -z "$line" ]; then failed=$((failed + 1)); echo "   result: no result line (crash?), counted as 1 failure"; return 1; fi
    p="${line%% passed*}"; f="${line#*, }"; f="${f%% failed}"
    passed=$((passed + p)); failed=$((failed + f))
    echo "   result: $p passed, $f failed"
}
