#!/usr/bin/env bash
# Run by tests/php84/run.sh inside its Debian 13 root: the PHP-level suite
# with the released 8.4 module, run exactly as tests/run.sh runs it; the
# package checks; then the test-panic build and the PHP-FPM test, which
# needs both. The last line is `N passed, N failed`.
#   tests/php84/inside.sh DIST
set -uo pipefail
dist="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
log=$(mktemp -d)
passed=0
failed=0
add_counts() {
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
    [ -n "$line" ] || { failed=$((failed + 1)); return; }
    passed=$((passed + ${line%% *}))
    line=${line#*, }
    failed=$((failed + ${line%% *}))
}
so=$(ls "$dist"/php_closte-"$version"_php8.4-*-linux-glibc-nts.so 2>/dev/null | head -1)
if [ -z "$so" ] || [ "$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')" != 8.4 ]; then
    echo "FAIL - php84: PHP 8.4 and the released 8.4 module ($dist)"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "== php84: extension tests (php $(php -r 'echo PHP_VERSION;') + simulator, ${so##*/})"

# As tests/run.sh: the same simulator keys, flags and environment.
# shellcheck source=../../scripts/sim.sh
source scripts/sim.sh
start_simulator --key 'sk_test_SECRET_k3y+/=&x' --key constant-key
export CLOSTE_SO="$so"
for test in tests/php/*_test.php; do
    php -n -d extension="$CLOSTE_SO" -d zend.exception_ignore_args=0 "$test" >"$log/php.txt" 2>&1
    cat "$log/php.txt"
    add_counts "$log/php.txt"
done
kill "$CLOSTE_SIM_PID" 2>/dev/null || true
wait "$CLOSTE_SIM_PID" 2>/dev/null

echo "== php84: package and install route (tests/package/run.sh --php 8.4)"
bash tests/package/run.sh --php 8.4 --dist "$dist" >"$log/package.txt" 2>&1
cat "$log/package.txt"
add_counts "$log/package.txt"

# The test-panic build, last: in the release build's target dir (only the
# closte crate recompiles), after everything that reads the release build.
# PHP and PHP_CONFIG as the Makefile passes them, so ext-php-rs is reused.
echo "== php84: test-panic build, then PHP-FPM (tests/reliability/fpm_test.php)"
base="$root/target/dist-build/php8.4"
if (cd "$base/src" && PHP=/usr/bin/php8.4 PHP_CONFIG=/usr/bin/php-config8.4 CARGO_TARGET_DIR="$base/target" \
    cargo build --release --locked -p closte --features test-panic --quiet) >"$log/panic-build.txt" 2>&1; then
    cp "$base/target/release/libcloste.so" "$log/panic.so"
    # shellcheck source=../reliability/lib.sh
    source tests/reliability/lib.sh
    export CLOSTE_PANIC_SO="$log/panic.so" CLOSTE_SIM_BIN="$root/target/release/closte-sim"
    if rel_start_simulator; then
        rel_php_test "$root/tests/reliability/fpm_test.php" "$CLOSTE_SO" CLOSTE_FPM_REQUESTS="${CLOSTE_FPM_REQUESTS:-10000}"
        rel_stop_simulator
    else
        REL_FAILED=$((REL_FAILED + 1))
        echo "FAIL - php84: the simulator starts"
    fi
    passed=$((passed + REL_PASSED))
    failed=$((failed + REL_FAILED))
else
    echo "FAIL - php84: cargo build --features test-panic"
    tail -20 "$log/panic-build.txt"
    failed=$((failed + 1))
fi
rm -rf "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
