#!/usr/bin/env bash
# The long versions of the reliability suite (tests/reliability/run.sh runs
# the bounded ones in CI), with the figures printed at the end.
#
#   bash scripts/reliability.sh                 everything below, then the figures
#   bash scripts/reliability.sh matrix          the fault matrix (prints the table)
#   bash scripts/reliability.sh threads         threads and clients, across fork() too
#   bash scripts/reliability.sh long            100,000 calls in one process, RSS growth
#   bash scripts/reliability.sh valgrind        valgrind memcheck over 20,000 calls
#   bash scripts/reliability.sh fpm             PHP-FPM with 100,000 requests
#   bash scripts/reliability.sh sync            concurrency-32 sync under faults, 5 rounds
#   bash scripts/reliability.sh props           property tests, 200,000 cases each
#   bash scripts/reliability.sh fuzz            libFuzzer, 5 minutes per target
#   bash scripts/reliability.sh docs            all of the above, then writes the
#                                               table and figures into docs/RELIABILITY.md
#   UPDATE_DOCS=1 bash scripts/reliability.sh fpm   one part, its figures merged into the doc
#
# Knobs: LONG_CALLS, VALGRIND_CALLS, FPM_REQUESTS, SYNC_ROUNDS,
# PROPTEST_CASES, FUZZ_SECONDS. Exit code 0 when every part passed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../tests/reliability/lib.sh
source "$root/tests/reliability/lib.sh"
cd "$root"
what="${1:-all}"
started=$SECONDS

rel_ensure_packages || exit 1
rel_build || exit 1

CLOSTE_FIGURES="$(mktemp)"
CLOSTE_FAULT_TABLE="$(mktemp)"
export CLOSTE_FIGURES CLOSTE_FAULT_TABLE
cleanup() {
    rel_stop_simulator
    rm -f "$CLOSTE_FIGURES" "$CLOSTE_FAULT_TABLE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
rel_start_simulator || exit 1
tests="$root/tests/reliability"

want() { [ "$what" = all ] || [ "$what" = docs ] || [ "$what" = "$1" ]; }

want matrix && rel_php_test "$tests/fault_matrix_test.php" "$CLOSTE_SO"
want threads && rel_php_test "$tests/threads_fork_test.php" "$CLOSTE_SO"
want long && rel_php_test "$tests/long_run_test.php" "$CLOSTE_SO" CLOSTE_LONG_CALLS="${LONG_CALLS:-100000}"
want valgrind && rel_valgrind "${VALGRIND_CALLS:-20000}"
want fpm && rel_php_test "$tests/fpm_test.php" "$CLOSTE_SO" CLOSTE_FPM_REQUESTS="${FPM_REQUESTS:-100000}"
if want sync; then
    for round in $(seq 1 "${SYNC_ROUNDS:-5}"); do
        echo "-- sync round $round"
        rel_php_test "$tests/concurrency_test.php" "$CLOSTE_SO"
    done
fi
rel_stop_simulator
want props && rel_property_tests "${PROPTEST_CASES:-200000}"

if want fuzz; then
    # libFuzzer on stable Rust: the coverage instrumentation cargo-fuzz
    # would add, passed by hand (no sanitizer: the targets are safe Rust).
    fuzz_dir="$root/fuzz"
    triple="$(rustc -vV | sed -n 's/^host: //p')"
    echo "== libFuzzer targets (${FUZZ_SECONDS:-300} s each)"
    if (cd "$fuzz_dir" && RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
        -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
        -Cllvm-args=-sanitizer-coverage-trace-compares" CARGO_TARGET_DIR="$fuzz_dir/target/libfuzzer" \
        cargo build --release --quiet --features libfuzzer --bins --target "$triple"); then
        for target in fuzz_domain fuzz_response fuzz_retry_after; do
            mkdir -p "$fuzz_dir/corpus/$target" "$fuzz_dir/artifacts/$target"
            log="$(mktemp)"
            "$fuzz_dir/target/libfuzzer/$triple/release/$target" -max_total_time="${FUZZ_SECONDS:-300}" \
                -max_len=4096 -print_final_stats=1 -artifact_prefix="$fuzz_dir/artifacts/$target/" \
                "$fuzz_dir/corpus/$target" >"$log" 2>&1
            code=$?
            runs="$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)"
            cov="$(grep -Eo 'cov: [0-9]+' "$log" | tail -1)"
            figure="$target = ${runs:-?}s, ${cov:-?} coverage points, exit $code"
            echo "figure: $figure"
            echo "$figure" >> "$CLOSTE_FIGURES"
            if [ "$code" -eq 0 ]; then
                echo "ok   - fuzz $target"
                REL_PASSED=$((REL_PASSED + 1))
            else
                echo "FAIL - fuzz $target (crash input in fuzz/artifacts/$target/)"
                grep -A20 -E 'panicked|ERROR: libFuzzer' "$log" | head -40
                REL_FAILED=$((REL_FAILED + 1))
            fi
            rm -f "$log"
        done
    else
        echo "FAIL - fuzz targets did not build"
        REL_FAILED=$((REL_FAILED + 1))
    fi
fi

echo "== figures"
sort -u "$CLOSTE_FIGURES" | sed 's/^/   /'
[ -s "$CLOSTE_FAULT_TABLE" ] && cat "$CLOSTE_FAULT_TABLE"
if [ "$what" = docs ] || [ -n "${UPDATE_DOCS:-}" ]; then
    php -n "$tests/update_docs.php" "$root/docs/RELIABILITY.md" "$CLOSTE_FAULT_TABLE" "$CLOSTE_FIGURES" \
        && echo "docs/RELIABILITY.md updated"
fi
echo "   $((SECONDS - started)) s"
echo "$REL_PASSED passed, $REL_FAILED failed"
[ "$REL_FAILED" -eq 0 ]
