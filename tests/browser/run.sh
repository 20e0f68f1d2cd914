#!/usr/bin/env bash
# Browser tests of closte-native's network admin page, in headless Chromium.
#
# Installs what is missing (Debian's chromium and the WordPress test
# packages; playwright-core from package-lock.json, no browser download),
# starts a private MariaDB, installs a sub-directory WordPress multisite with
# wp-plugin/ and the real Ultimate Multisite (../shared/fixtures), seeds
# drift with Ultimate Multisite's own API, starts the
# Closte simulator, a local TLS server for the certificate column and PHP's
# built-in server on port 80 of a random 127.x.y.z address (Chromium maps
# the network's domain there; a second one without the extension), then
# runs admin-page.test.js, then site-health.test.js (Tools > Site Health on
# the main site). Everything it
# started is stopped on exit. The last line is `N passed, N failed`; the
# exit status is non-zero when anything failed.
#
# Environment: CLOSTE_SO, CLOSTE_SIM (default target/release/...),
# CLOSTE_BROWSER_ARTIFACTS (screenshots; default a new /tmp directory, kept),
# CLOSTE_BROWSER_DOC_SCREENSHOT=1 also refreshes docs/screenshots/admin-page.png
# (written anyway when missing), and docs/screenshots/site-health.png likewise,
# CLOSTE_BROWSER_KEEP=1 keeps the work directory.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../wp/lib/env.sh
source "$root/tests/wp/lib/env.sh"
DOMAIN='closte-browser.test'
started=$(date +%s)
work=""

trap 'env_cleanup "${CLOSTE_BROWSER_KEEP:-0}"' EXIT
trap 'exit 130' INT TERM

ensure_packages() {
    local packages=("${ENV_WP_PACKAGES[@]}" chromium openssl fonts-dejavu-core)
    # Node.js may come from elsewhere than Debian (it does on these machines): only its commands matter.
    command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
    apt_install_missing browser "${packages[@]}"
}

ensure_node_modules() {
    [ -f "$here/node_modules/playwright-core/package.json" ] && return 0
    echo "installing playwright-core (npm ci; no browser download)"
    (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) >"$work/npm.log" 2>&1
}

# php with the extension, unless the system PHP loads it already (package installed).
php_ext=(-d "extension=$CLOSTE_SO")
php -m 2>/dev/null | grep -qx closte && php_ext=()

install_wp() {
    wp_dir="$work/wp"
    copy_wordpress "$wp_dir" wp_browser "$here/fixtures/mu-plugins/closte-browser-test.php"
    # Debug log on (wp-content/debug.log), display off: a test reads it for the plugin's own notices.
    sed -i "s/define( 'WP_DEBUG', false );/define( 'WP_DEBUG', true );\ndefine( 'WP_DEBUG_LOG', true );\ndefine( 'WP_DEBUG_DISPLAY', false );/" \
        "$wp_dir/wp-config.php"
    grep -q "WP_DEBUG_LOG" "$wp_dir/wp-config.php" || setup_failed "wp-config.php: WP_DEBUG line not found"
    install_network "$wp_dir" "$DOMAIN" 0 install.log "${php_ext[@]}"
}

start_tls_server() { # a certificate for in-sync.example only, from a CA of its own
    local tls="$work/tls" ext
    mkdir -p "$tls"
    ext=$'subjectAltName=DNS:in-sync.example\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth'
    {
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
            -subj '/CN=Closte Browser Test CA' -keyout "$tls/ca.key" -out "$tls/ca.pem" &&
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
                -subj '/CN=in-sync.example' -keyout "$tls/leaf.key" -out "$tls/leaf.csr" &&
            openssl x509 -req -in "$tls/leaf.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
                -days 45 -extfile <(printf '%s\n' "$ext") -out "$tls/leaf.pem"
    } >"$work/openssl.log" 2>&1 || setup_failed "certificates"
    tls_port="$(free_port)"
    openssl s_server -quiet -www -accept "127.0.0.1:$tls_port" -cert "$tls/leaf.pem" -key "$tls/leaf.key" \
        </dev/null >"$work/tls-server.log" 2>&1 &
    env_pids+=($!)
    tls_ca="$tls/ca.pem"
    wait_for 10 php -n -r 'exit(@fsockopen("127.0.0.1", (int) $argv[1]) ? 0 : 1);' "$tls_port" ||
        setup_failed "openssl s_server did not start"
}

start_web_server() { # start_web_server VAR with|without: port 80 of a random 127.x.y.z, its address in VAR
    local var="$1" ext=() try pid ip
    [ "$2" = with ] && ext=("${php_ext[@]}")
    for try in 1 2 3 4 5; do
        ip="127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))"
        CLOSTE_BROWSER_TLS_PORT="$tls_port" CLOSTE_BROWSER_TLS_CA="$tls_ca" PHP_CLI_SERVER_WORKERS=4 \
            php "${ext[@]}" -d "closte.api_url=$sim_url/api/client" -d closte.timeout=5 \
            -d closte.connect_timeout=2 -d display_errors=0 -d log_errors=1 \
            -S "$ip:80" -t "$wp_dir" "$here/lib/router.php" >>"$work/php-server-$2.log" 2>&1 &
        pid=$!
        if wait_for 10 php -n -r 'exit(@fsockopen($argv[1], 80) ? 0 : 1);' "$ip"; then
            env_pids+=("$pid")
            printf -v "$var" '%s' "$ip"
            return 0
        fi
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    done
    setup_failed "PHP's built-in server did not start on port 80 (run as root?)"
}

work="$(mktemp -d /tmp/closte-browser.XXXXXX)"
artifacts="${CLOSTE_BROWSER_ARTIFACTS:-$(mktemp -d /tmp/closte-browser-artifacts.XXXXXX)}"
mkdir -p "$artifacts"
ensure_packages || setup_failed "package installation"
ensure_node_modules || setup_failed "npm ci (see $work/npm.log)"
check_artifacts
start_mariadb wp_browser
install_wp
start_simulator
CLOSTE_WP_DIR="$wp_dir" CLOSTE_WP_DOMAIN="$DOMAIN" CLOSTE_WP_NETWORK=subdirectory \
    php "${php_ext[@]}" -d "closte.api_url=$sim_url/api/client" "$here/lib/seed.php" >"$work/seed.log" 2>&1 ||
    setup_failed "seeding the network"
start_tls_server
start_web_server web_ip with
web_ip_bare="" # the same site without the extension, unless the system PHP loads it anyway
[ ${#php_ext[@]} -gt 0 ] && start_web_server web_ip_bare without
echo "setup took $(($(date +%s) - started)) s (http://$DOMAIN/ on $web_ip:80, simulator $sim_url, TLS 127.0.0.1:$tls_port)"

doc_shot=""
if [ "${CLOSTE_BROWSER_DOC_SCREENSHOT:-0}" = 1 ] || [ ! -f "$root/docs/screenshots/admin-page.png" ]; then
    doc_shot="$root/docs/screenshots/admin-page.png"
fi
CLOSTE_BROWSER_DOMAIN="$DOMAIN" CLOSTE_BROWSER_IP="$web_ip" CLOSTE_BROWSER_IP_BARE="$web_ip_bare" CLOSTE_SIM_URL="$sim_url" \
    CLOSTE_TEST_KEY="$TEST_KEY" CLOSTE_BROWSER_ARTIFACTS="$artifacts" CLOSTE_BROWSER_DOC_SHOT="$doc_shot" \
    CLOSTE_BROWSER_WORK="$work" CLOSTE_VERSION="$(php "${php_ext[@]}" -r 'echo closte_version();')" \
    CLOSTE_HAS_SSL_STATUS="$(php "${php_ext[@]}" -r 'echo function_exists("closte_ssl_status") ? 1 : 0;')" \
    timeout 300 node "$here/admin-page.test.js" 2>&1 | tee "$work/node.txt" | grep -v '^RESULT '

# Site Health, on the state admin-page.test.js left.
doc_shot_health=""
if [ "${CLOSTE_BROWSER_DOC_SCREENSHOT:-0}" = 1 ] || [ ! -f "$root/docs/screenshots/site-health.png" ]; then
    doc_shot_health="$root/docs/screenshots/site-health.png"
fi
CLOSTE_BROWSER_DOMAIN="$DOMAIN" CLOSTE_BROWSER_IP="$web_ip" CLOSTE_SIM_URL="$sim_url" \
    CLOSTE_TEST_KEY="$TEST_KEY" CLOSTE_BROWSER_ARTIFACTS="$artifacts" CLOSTE_BROWSER_DOC_SHOT="$doc_shot_health" \
    CLOSTE_BROWSER_WORK="$work" CLOSTE_VERSION="$(php "${php_ext[@]}" -r 'echo closte_version();')" \
    timeout 300 node "$here/site-health.test.js" 2>&1 | tee "$work/node-site-health.txt" | grep -v '^RESULT '

passed=0
failed=0
for node_out in node node-site-health; do
    sed -nE 's/^RESULT passed=([0-9]+) failed=([0-9]+)$/\1 passed, \2 failed/p' "$work/$node_out.txt" >"$work/$node_out-result.txt"
    if ! add_counts "$work/$node_out-result.txt"; then
        echo "no result from the browser tests in $node_out.txt (crash or timeout)"
        tail -n 20 "$work/php-server-with.log"
    fi
done
[ "$failed" -gt 0 ] && { echo "--- php-server-with.log (last lines)"; grep -v -E 'Accepted|Closing|\[200\]|\[302\]|started' "$work/php-server-with.log" | tail -n 15; }
echo "screenshots: $artifacts"
echo "tests/browser took $(($(date +%s) - started)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
