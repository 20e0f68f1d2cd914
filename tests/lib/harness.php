<?php
/**
 * A deliberately tiny test harness for PHP-level tests.
 *
 * Each test file is its own `php` process (so a test may define constants,
 * fork, or change ini settings without leaking into the next file). A file
 * registers cases with closte_test(), and closte_test_run() executes them and
 * ends with the plain line `N passed, N failed` that tests/run.sh adds up.
 * PHP 7.4-compatible on purpose: the WordPress tests include it too.
 */

declare(strict_types=1);

final class ClosteAssertionFailed extends \Exception
{
}

$GLOBALS['closte_test_cases'] = [];

function closte_test(string $name, callable $body): void
{
    $GLOBALS['closte_test_cases'][] = [$name, $body];
}

function closte_fail(string $message): void
{
    throw new ClosteAssertionFailed($message);
}

function closte_export($value): string
{
    $text = var_export($value, true);
    return strlen($text) > 600 ? substr($text, 0, 600) . '...' : $text;
}

function assert_true($condition, string $what = 'condition'): void
{
    if ($condition !== true) {
        closte_fail("expected true: $what, got " . closte_export($condition));
    }
}

function assert_false($condition, string $what = 'condition'): void
{
    if ($condition !== false) {
        closte_fail("expected false: $what, got " . closte_export($condition));
    }
}

function assert_same($expected, $actual, string $what = 'value'): void
{
    if ($expected !== $actual) {
        closte_fail("$what: expected " . closte_export($expected) . ', got ' . closte_export($actual));
    }
}

function assert_contains(string $needle, string $haystack, string $what = 'text'): void
{
    if (strpos($haystack, $needle) === false) {
        closte_fail("$what does not contain " . closte_export($needle) . ': ' . closte_export($haystack));
    }
}

function assert_not_contains(string $needle, string $haystack, string $what = 'text'): void
{
    if ($needle === '') {
        closte_fail('assert_not_contains needs a non-empty needle');
    }
    if (strpos($haystack, $needle) !== false) {
        closte_fail("$what must not contain the secret but does");
    }
}

function assert_less_than($limit, $actual, string $what = 'value'): void
{
    if (!($actual < $limit)) {
        closte_fail("$what: expected less than " . closte_export($limit) . ', got ' . closte_export($actual));
    }
}

/**
 * Runs $body, which must throw $class; returns the exception for more checks.
 */
function assert_throws(string $class, callable $body, string $what = 'call'): \Throwable
{
    try {
        $body();
    } catch (\Throwable $e) {
        if (!($e instanceof $class)) {
            closte_fail("$what: expected $class, got " . get_class($e) . ': ' . $e->getMessage());
        }
        return $e;
    }
    closte_fail("$what: expected $class, nothing was thrown");
    throw new \LogicException('unreachable');
}

function closte_test_run(): void
{
    $passed = 0;
    $failed = 0;
    $file = basename($_SERVER['SCRIPT_FILENAME'] ?? 'test');
    foreach ($GLOBALS['closte_test_cases'] as [$name, $body]) {
        try {
            $body();
            $passed++;
            echo "ok   - $file: $name\n";
        } catch (\Throwable $e) {
            $failed++;
            $detail = $e instanceof ClosteAssertionFailed
                ? $e->getMessage()
                : get_class($e) . ': ' . $e->getMessage() . ' at ' . basename($e->getFile()) . ':' . $e->getLine();
            echo "FAIL - $file: $name\n       $detail\n";
        }
    }
    echo "$passed passed, $failed failed\n";
    exit($failed === 0 ? 0 : 1);
}
