<?php
/**
 * The call mix of the long runs (long_run_test.php, and the valgrind pass in
 * run.sh / scripts/reliability.sh): every public function, success paths and
 * each exception class, against the simulator in CLOSTE_SIM_URL.
 *
 *   php -n -d extension=... tests/reliability/workload.php CALLS
 *
 * Prints `calls=N errors_by_class=...` and exits 0 when every call ended as
 * expected.
 */

declare(strict_types=1);

const WORKLOAD_KEY = 'sk_test_SECRET_k3y+/=&x';

/**
 * One step of the mix; $i picks the call. Returns the outcome class name
 * ('ok' or the exception class). Unexpected outcomes throw.
 */
function workload_step(int $i, string $api_url): string
{
    $options = ['api_key' => WORKLOAD_KEY, 'api_url' => $api_url, 'timeout' => 5, 'connect_timeout' => 2, 'retries' => 0];
    $domain = 'w' . ($i % 50) . '.example.com';
    try {
        switch ($i % 10) {
            case 0:
            case 1:
            case 2:
                $r = closte_add_domain($domain, $options);
                break;
            case 3:
            case 4:
                $r = closte_remove_domain($domain, $options);
                break;
            case 5:
                $r = closte_list_domains($options);
                break;
            case 6:
                $r = closte_validate_domain('Ü' . $i . '.Example.COM.');
                break;
            case 7:
                // Closte's answer to its own host: ManagedDomainException.
                closte_add_domain('app.closte.com', $options);
                throw new LogicException('expected a ManagedDomainException');
            case 8:
                closte_validate_domain("bad domain $i");
                throw new LogicException('expected an InvalidDomainException');
            default:
                if ($i % 20 === 9) {
                    closte_add_domain($domain, ['retries' => -1] + $options);
                    throw new LogicException('expected a ConfigurationException');
                }
                $r = closte_test_connection($options);
                if ($r['ok'] !== true) {
                    throw new LogicException('connection test failed: ' . $r['message']);
                }
        }
        unset($r);
        return 'ok';
    } catch (Closte\Exception $e) {
        return get_class($e);
    }
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    $calls = (int) ($argv[1] ?? 20);
    $api_url = rtrim((string) getenv('CLOSTE_SIM_URL'), '/') . '/api/client';
    $outcomes = [];
    for ($i = 0; $i < $calls; $i++) {
        $class = workload_step($i, $api_url);
        $outcomes[$class] = ($outcomes[$class] ?? 0) + 1;
    }
    // A sync of a few domains (threads) at the end.
    $report = closte_sync_domains(['sync-a.example.com', 'sync-b.example.com', 'sync-c.example.com'],
        ['api_key' => WORKLOAD_KEY, 'api_url' => $api_url, 'concurrency' => 3, 'timeout' => 5]);
    ksort($outcomes);
    echo 'calls=', $calls, ' outcomes=', json_encode($outcomes), ' sync_failed=', count($report['failed']), "\n";
    $expected_errors = ['Closte\ManagedDomainException', 'Closte\ConfigurationException', 'Closte\InvalidDomainException'];
    $unexpected = array_diff(array_keys($outcomes), array_merge(['ok'], $expected_errors));
    exit($unexpected === [] && count($report['failed']) === 0 ? 0 : 1);
}
