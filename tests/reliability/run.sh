#!/usr/bin/env bash
# Reliability and security suite, bounded for CI (issue 4): the fault
# matrix, key/proxy/redirect checks, bad input, panic containment,
# closte_sync_domains at concurrency 32 under random faults, threads and
# clients across fork(), a 20,000-call long run, PHP-FPM (10,000
# requests), a valgrind pass of 200 calls and the property tests. Installs
# its Debian packages when missing, builds what it needs, starts and stops
# its own servers. The last line is the sum: `N passed, N failed`. The long
# versions: scripts/reliability.sh.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
cd "$REL_ROOT"
started=$SECONDS

rel_ensure_packages || { echo "reliability: could not install packages"; echo "0 passed, 1 failed"; exit 1; }
# The property tests build in the background while the PHP tests run
# (those mostly wait on timeouts and sockets).
proptest_log="$(mktemp)"
(cd "$REL_ROOT/fuzz" && nice cargo test --release --no-run --quiet) >"$proptest_log" 2>&1 &
proptest_build=$!
rel_build || { echo "reliability: build failed"; echo "0 passed, 1 failed"; exit 1; }

CLOSTE_FIGURES="$(mktemp)"
export CLOSTE_FIGURES
cleanup() {
    rel_stop_simulator
    kill "$proptest_build" 2>/dev/null || true
    rm -f "$CLOSTE_FIGURES" "$proptest_log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rel_start_simulator || { echo "reliability: simulator did not start"; echo "0 passed, 1 failed"; exit 1; }

rel_php_test "$here/fault_matrix_test.php" "$CLOSTE_SO"
rel_php_test "$here/security_test.php" "$CLOSTE_SO"
rel_php_test "$here/bad_input_test.php" "$CLOSTE_SO"
rel_php_test "$here/panic_test.php" "$CLOSTE_PANIC_SO" CLOSTE_SO="$CLOSTE_PANIC_SO"
rel_php_test "$here/concurrency_test.php" "$CLOSTE_SO"
rel_php_test "$here/threads_fork_test.php" "$CLOSTE_SO"
rel_php_test "$here/long_run_test.php" "$CLOSTE_SO" CLOSTE_LONG_CALLS="${CLOSTE_LONG_CALLS:-20000}"
rel_php_test "$here/fpm_test.php" "$CLOSTE_SO" CLOSTE_FPM_REQUESTS="${CLOSTE_FPM_REQUESTS:-10000}"
rel_valgrind "${CLOSTE_VALGRIND_CALLS:-200}"
rel_stop_simulator
wait "$proptest_build" || { echo "property tests: build failed"; cat "$proptest_log"; }
rel_property_tests "${PROPTEST_CASES:-}"

echo "== figures"
sort -u "$CLOSTE_FIGURES" | sed 's/^/   /'
echo "   reliability suite: $((SECONDS - started)) s"
echo "$REL_PASSED passed, $REL_FAILED failed"
[ "$REL_FAILED" -eq 0 ]
