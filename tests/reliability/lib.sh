# Shared by tests/reliability/run.sh (bounded, CI) and scripts/reliability.sh
# (long runs). Source it; it defines functions (and apt_install_missing, from
# scripts/lib/apt.sh) and sets the REL_ variables below.

REL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REL_KEY='sk_test_SECRET_k3y+/=&x'
REL_PASSED=0
REL_FAILED=0

# shellcheck source=../../scripts/lib/apt.sh
source "$REL_ROOT/scripts/lib/apt.sh"

# Debian packages the reliability suite needs, installed when missing.
rel_ensure_packages() {
    apt_install_missing reliability php8.2-cli php8.2-fpm php8.2-opcache valgrind openssl procps util-linux
}

# The release .so and simulator (a no-op when they are up to date), and the
# test-panic .so in its own target dir so it never replaces the release one.
rel_build() {
    (cd "$REL_ROOT" && cargo build --release --workspace --quiet) || return 1
    (cd "$REL_ROOT" && CARGO_TARGET_DIR="$REL_ROOT/target/test-panic" \
        cargo build --release -p closte --features test-panic --quiet) || return 1
    export CLOSTE_SO="$REL_ROOT/target/release/libcloste.so"
    export CLOSTE_PANIC_SO="$REL_ROOT/target/test-panic/release/libcloste.so"
    export CLOSTE_SIM_BIN="$REL_ROOT/target/release/closte-sim"
}

# Starts the main simulator (scripts/sim.sh); the caller's EXIT trap stops it.
rel_start_simulator() {
    local caller_trap
    # shellcheck source=../../scripts/sim.sh
    source "$REL_ROOT/scripts/sim.sh"
    caller_trap="$(trap -p EXIT)"
    # Keys on the command line, not in the environment that every child
    # process (and phpinfo()) would see.
    start_simulator --key "$REL_KEY" --key constant-key || return 1
    # start_simulator sets an EXIT trap of its own: the caller's, which
    # stops the simulator and everything else it started, is put back, so
    # that an interrupted run leaves nothing running.
    if [ -n "$caller_trap" ]; then eval "$caller_trap"; else trap - EXIT; fi
}

rel_stop_simulator() {
    if [ -n "${CLOSTE_SIM_PID:-}" ]; then
        kill "$CLOSTE_SIM_PID" 2>/dev/null || true
        wait "$CLOSTE_SIM_PID" 2>/dev/null || true
        CLOSTE_SIM_PID=""
    fi
}

# Adds the last "N passed, N failed" line of a log to the totals; a log
# without one counts as one failure.
rel_add_counts() {
    local line p f
    line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)"
    if [ -z "$line" ]; then
        REL_FAILED=$((REL_FAILED + 1))
        return
    fi
    p="$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")"
    f="$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")"
    REL_PASSED=$((REL_PASSED + p))
    REL_FAILED=$((REL_FAILED + f))
}

# rel_php_test FILE SO [ENV=VALUE...]: one test file in its own php process,
# bounded by a wall-clock limit, output shown and counted.
rel_php_test() {
    local file="$1" so="$2" log
    shift 2
    log="$(mktemp)"
    echo "== ${file#"$REL_ROOT"/}"
    env RUST_BACKTRACE=0 "$@" timeout --kill-after=10 "${REL_TEST_LIMIT:-600}" \
        php -n -d "extension=$so" -d zend.exception_ignore_args=0 -d memory_limit=1G "$file" >"$log" 2>&1
    local code=$?
    # Rust's panic hook reports each deliberate panic on stderr: keep them
    # out of the output, count them.
    local panics
    panics="$(grep -c "panicked at" "$log" || true)"
    grep -v -E "panicked at|^note: run with .RUST_BACKTRACE|^deliberate panic|^$" "$log"
    [ "$panics" -gt 0 ] && echo "   ($panics deliberate panic reports on stderr)"
    if [ "$code" -ne 0 ] && ! grep -qE '^[0-9]+ passed, [1-9][0-9]* failed' "$log"; then
        echo "   exit code $code"
        grep -qE '^[0-9]+ passed, 0 failed' "$log" && REL_FAILED=$((REL_FAILED + 1))
    fi
    rel_add_counts "$log"
    rm -f "$log"
}

# rel_valgrind CALLS: the workload under valgrind memcheck; one test.
rel_valgrind() {
    local calls="$1" log
    log="$(mktemp)"
    echo "== valgrind: tests/reliability/workload.php $calls calls"
    local start=$SECONDS
    USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 RUST_BACKTRACE=0 timeout 1200 \
        valgrind --leak-check=full --num-callers=30 --error-exitcode=0 \
        php -n -d "extension=$CLOSTE_SO" "$REL_ROOT/tests/reliability/workload.php" "$calls" >"$log" 2>&1
    local code=$?
    local definitely invalid summary
    definitely="$(grep -E 'definitely lost:' "$log" | sed -E 's/.*definitely lost: ([0-9,]+) bytes.*/\1/' | tr -d ,)"
    invalid="$(grep -cE 'Invalid (read|write|free)|uninitialised|Mismatched free|overlap' "$log" || true)"
    summary="$(grep -E '^calls=' "$log")"
    echo "$summary"
    grep -E '^==[0-9]+== +(definitely lost|indirectly lost|possibly lost|still reachable|ERROR SUMMARY):' "$log" | sed 's/^==[0-9]*== */   /'
    local figure="$calls calls in $((SECONDS - start)) s, definitely lost ${definitely:-?} bytes, $invalid invalid accesses"
    echo "figure: valgrind = $figure"
    [ -n "${CLOSTE_FIGURES:-}" ] && echo "valgrind = $figure" >> "$CLOSTE_FIGURES"
    if [ "$code" -eq 0 ] && [ "${definitely:-x}" = "0" ] && [ "$invalid" -eq 0 ] && [ -n "$summary" ]; then
        echo "ok   - valgrind: 0 bytes definitely lost, no invalid access"
        REL_PASSED=$((REL_PASSED + 1))
    else
        echo "FAIL - valgrind: exit $code, definitely lost '${definitely:-none}', $invalid invalid accesses"
        grep -B2 -A25 -E 'definitely lost in|Invalid (read|write|free)|uninitialised' "$log" | head -80
        REL_FAILED=$((REL_FAILED + 1))
    fi
    rm -f "$log"
}

# rel_property_tests [CASES]: the proptest suite of fuzz/ (release build).
rel_property_tests() {
    local cases="${1:-}" log
    log="$(mktemp)"
    echo "== property tests (fuzz/tests/properties.rs${cases:+, $cases cases each})"
    (cd "$REL_ROOT/fuzz" && env ${cases:+PROPTEST_CASES=$cases} RUST_BACKTRACE=0 \
        cargo test --release --quiet 2>&1) >"$log"
    local code=$?
    grep -E '^test |test result:|panicked|minimal failing|^error' "$log" | grep -v '^test result: ok. 0 passed'
    local p f
    p="$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')"
    f="$(grep -Eo '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}')"
    if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        tail -30 "$log"
    fi
    REL_PASSED=$((REL_PASSED + p))
    REL_FAILED=$((REL_FAILED + f))
    rm -f "$log"
}
