<?php
/**
 * CLI cold start with and without the module: `php -n -r ''` run N times
 * each, alternating (so drift in the machine's load hits both alike),
 * median wall time of each, and their ratio. Prints one line:
 *   coldstart: without 7.21 ms, with 7.48 ms, ratio 1.037 (200 runs each)
 *
 *   php -n tests/package/coldstart.php SO [RUNS]
 */

$so = $argv[1] ?? '';
$runs = (int) ($argv[2] ?? 200);
if (!is_file($so)) {
    fwrite(STDERR, "usage: coldstart.php SO [RUNS]\n");
    exit(2);
}

function run_once(array $argv): float
{
    $start = hrtime(true);
    $proc = proc_open($argv, [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    $code = proc_close($proc);
    if ($code !== 0) {
        fwrite(STDERR, 'failed: ' . implode(' ', $argv) . "\n");
        exit(1);
    }
    return (hrtime(true) - $start) / 1e6;
}

function median(array $values): float
{
    sort($values);
    $n = count($values);
    return $n % 2 ? $values[intdiv($n, 2)] : ($values[$n / 2 - 1] + $values[$n / 2]) / 2;
}

$without = [];
$with = [];
for ($i = 0; $i < $runs; $i++) {
    $without[] = run_once([PHP_BINARY, '-n', '-r', '']);
    $with[] = run_once([PHP_BINARY, '-n', '-d', "extension=$so", '-r', '']);
}
$a = median($without);
$b = median($with);
printf("coldstart: without %.2f ms, with %.2f ms, ratio %.3f (%d runs each)\n", $a, $b, $b / $a, $runs);
