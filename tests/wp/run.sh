#!/usr/bin/env bash
# WordPress plugin tests in a real multisite.
#
# Installs what is missing (Debian packages only), starts a private MariaDB
# on loopback, installs the fixtures' WordPress 7.0.1 twice (a subdomain and
# a subdirectory network) with wp-plugin/ and the real Ultimate Multisite
# 2.14.2 (../shared/fixtures), set up as its wizard would, starts the
# Closte simulator and Debian's tinyproxy (loopback, basic auth, its own
# config and log in $work/proxy; the proxy tests point WP_PROXY_* at it), then
# runs every tests/wp/*_test.php once per network. Everything it started is
# stopped on exit. The last line is
# `N passed, N failed`; the exit status is non-zero when anything failed.
#
# Environment: CLOSTE_SO (the extension), CLOSTE_SIM (the simulator binary),
# CLOSTE_WP_KEEP=1 keeps the temporary directory for inspection,
# CLOSTE_WP_ONLY=REGEX runs only the test files whose name matches.
# Nothing leaves the machine: the closte-test-env mu-plugin records and
# answers every non-loopback WordPress HTTP request and replaces Ultimate
# Multisite's DNS and certificate stage job (see that file).
# Test files may carry a marker line:
#   @closte-run without-extension   run without the extension loaded
#   @closte-run once                run once, after all the others
#   @closte-run subdomain-only      run on the subdomain network only
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/env.sh
source "$here/lib/env.sh"
started=$(date +%s)
passed=0
failed=0
work=""

trap 'env_cleanup "${CLOSTE_WP_KEEP:-0}"' EXIT
trap 'exit 130' INT TERM

# install_wp NAME DOMAIN SUBDOMAIN(1|0): $work/wp-NAME on database wp_NAME
install_wp() {
    copy_wordpress "$work/wp-$1" "wp_$1"
    install_network "$work/wp-$1" "$2" "$3" "install-$1.log" -d "extension=$CLOSTE_SO"
}

# run_test FILE NETWORK(sub|dir|all)
run_test() {
    local file="$1" net="$2" out ext=(-d "extension=$CLOSTE_SO")
    out="$work/out/$(basename "$file" .php)-$net.txt"
    grep -q '@closte-run without-extension' "$file" && ext=()
    if [ "$net" = dir ] && grep -q '@closte-run subdomain-only' "$file"; then return 0; fi
    case "$net" in
        sub) set -- "$work/wp-sub" net-sub.test subdomain ;;
        dir) set -- "$work/wp-dir" net-dir.test subdirectory ;;
        *) set -- "" "" "" ;;
    esac
    CLOSTE_SO="$CLOSTE_SO" CLOSTE_WP_DIR="$1" CLOSTE_WP_DOMAIN="$2" CLOSTE_WP_NETWORK="$3" CLOSTE_WP_WORK="$work" \
        CLOSTE_SIM_URL="$sim_url" CLOSTE_TEST_KEY="$TEST_KEY" \
        CLOSTE_PROXY_PORT="$proxy_port" CLOSTE_PROXY_USER="$PROXY_USER" \
        CLOSTE_PROXY_PASSWORD="$PROXY_PASSWORD" CLOSTE_PROXY_LOG="$work/proxy/tinyproxy.log" \
        timeout 240 php "${ext[@]}" -d "closte.api_url=$sim_url/api/client" -d closte.timeout=5 \
        -d closte.connect_timeout=2 "$file" >"$out" 2>&1
    echo "== $(basename "$file") [$net]"
    grep -vE '^[0-9]+ passed, [0-9]+ failed$' "$out"
    add_counts "$out"
}

# start_proxy: tinyproxy in the foreground on a free loopback port, accepting
# only $PROXY_USER / $PROXY_PASSWORD; sets proxy_port. Its log is in
# $work/proxy, not $work/*.log: it lists the URLs it forwarded, and a plain
# http:// getdomains URL carries the API key in its query string (a real,
# https:// API URL goes through the proxy as a CONNECT tunnel: the proxy sees
# only host:port). zz_secret_absent_test.php checks that log for the password.
PROXY_USER='closte-proxy-user'
PROXY_PASSWORD='proxy-SECRET-pw.42'
proxy_port=""
start_proxy() {
    local dir="$work/proxy"
    mkdir -p "$dir"
    proxy_port="$(free_port)"
    cat >"$dir/tinyproxy.conf" <<EOF
Port $proxy_port
Listen 127.0.0.1
Allow 127.0.0.1
BasicAuth $PROXY_USER $PROXY_PASSWORD
Timeout 30
MaxClients 20
DisableViaHeader Yes
LogFile "$dir/tinyproxy.log"
LogLevel Connect
EOF
    tinyproxy -d -c "$dir/tinyproxy.conf" >"$dir/tinyproxy.out" 2>&1 &
    env_pids+=($!)
    wait_for 10 php -n -r 'exit(@fsockopen("127.0.0.1", (int) $argv[1]) ? 0 : 1);' "$proxy_port" ||
        setup_failed "tinyproxy did not start (see $dir/tinyproxy.out)"
}

apt_install_missing wp "${ENV_WP_PACKAGES[@]}" tinyproxy || setup_failed "package installation"
check_artifacts
work="$(mktemp -d /tmp/closte-wp.XXXXXX)"
mkdir -p "$work/out"
start_mariadb wp_sub wp_dir
install_wp sub net-sub.test 1
install_wp dir net-dir.test 0
start_simulator
start_proxy
echo "setup took $(($(date +%s) - started)) s (MariaDB on $db_host, simulator $sim_url, tinyproxy on 127.0.0.1:$proxy_port)"

later=()
for file in "$here"/*_test.php; do
    [[ "$(basename "$file")" =~ ${CLOSTE_WP_ONLY:-.} ]] || continue
    if grep -q '@closte-run once' "$file"; then later+=("$file"); continue; fi
    run_test "$file" sub
    run_test "$file" dir
done
for file in "${later[@]+"${later[@]}"}"; do run_test "$file" all; done

echo "tests/wp took $(($(date +%s) - started)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
