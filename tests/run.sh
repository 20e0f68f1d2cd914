#!/usr/bin/env bash
# Runs every test: the lints, cargo's unit and integration tests, the extension's
# PHP-level tests against the simulator, and the WordPress plugin's tests in
# a real multisite. Installs and builds what it needs first. The last line
# is the sum over all suites: `N passed, N failed`.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
bash scripts/build.sh || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
add_counts() { # reads "N passed, N failed" lines from a log
    local p f
    p=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1 | sed -E 's/^([0-9]+) passed.*/\1/')
    f=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1 | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-1}))
}
log="$(mktemp -d)"

echo "== lint: cargo fmt --check, cargo clippy -D warnings (lints in [lints] tables), phpcs, phpstan"
lint() { # name, command...: one passed or failed line each
    local name="$1"
    shift
    if "$@" > "$log/lint.txt" 2>&1; then
        echo "ok   - lint: $name"
        passed=$((passed + 1))
    else
        cat "$log/lint.txt"
        echo "FAIL - lint: $name"
        failed=$((failed + 1))
    fi
}
lint "cargo fmt --check" cargo fmt --all --check
lint "cargo clippy" cargo clippy --workspace --all-targets --quiet -- -D warnings
lint "cargo clippy (test-panic build)" cargo clippy -p closte --features test-panic --quiet -- -D warnings
# The plugin: the WordPress coding standards and PHPStan, from ../shared/tools/wp-lint.
wp_lint="$root/../shared/tools/wp-lint/bin"
lint "phpcs (wp-plugin/phpcs.xml.dist)" "$wp_lint/phpcs" -q --standard=wp-plugin/phpcs.xml.dist wp-plugin
# PHPStan 0.12 can trip over its own cache from an earlier run: start clean.
rm -rf "$root/target/phpstan"
lint "phpstan (wp-plugin/phpstan.neon.dist)" "$wp_lint/phpstan" analyse -c wp-plugin/phpstan.neon.dist --no-progress --error-format=raw

echo "== cargo test"
cargo test --workspace --quiet 2>&1 | tee "$log/cargo.txt"
cargo_passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log/cargo.txt" | awk '{s+=$4} END {print s+0}')
cargo_failed=$(grep -Eo '[0-9]+ failed;' "$log/cargo.txt" | awk '{s+=$1} END {print s+0}')
if ! grep -q 'test result:' "$log/cargo.txt" || grep -qE '^error(\[|:)' "$log/cargo.txt"; then
    cargo_failed=$((cargo_failed + 1))
fi
passed=$((passed + cargo_passed))
failed=$((failed + cargo_failed))

echo "== extension tests (php + simulator)"
# shellcheck source=../scripts/sim.sh
source scripts/sim.sh
# The accepted keys go on the command line, not in the environment, which
# phpinfo() would print in the secrecy test.
start_simulator --key 'sk_test_SECRET_k3y+/=&x' --key constant-key
export CLOSTE_SO="$root/target/release/libcloste.so"
for test in tests/php/*_test.php; do
    php -n -d extension="$CLOSTE_SO" -d zend.exception_ignore_args=0 "$test" > "$log/php.txt" 2>&1
    cat "$log/php.txt"
    add_counts "$log/php.txt"
done
kill "$CLOSTE_SIM_PID" 2>/dev/null || true

# Suites with their own set-up, each ending in `N passed, N failed`. The
# package suite goes last: while it runs, the system PHP loads the .so too.
suites=(
    "wp:WordPress plugin in a real multisite"
    "browser:admin page in headless Chromium"
    "reliability:faults, PHP-FPM, long runs, fuzzing"
    "php84:PHP 8.4 in a Debian 13 root: PHP suite, PHP-FPM, package, install routes"
    "package:Debian package install and removal"
)
for suite in "${suites[@]}"; do
    name="${suite%%:*}"
    [ -f "tests/$name/run.sh" ] || continue
    echo "== $name: ${suite#*:}"
    bash "tests/$name/run.sh" > "$log/$name.txt" 2>&1
    cat "$log/$name.txt"
    add_counts "$log/$name.txt"
done

rm -rf "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
