<?php
/**
 * What each FastCGI request runs inside a PHP-FPM worker: one extension call
 * against the simulator, answered as JSON with the worker's pid (so the
 * client can count requests per worker). The key comes the production way,
 * as the constant CLOSTE_CLIENT_API_KEY (here from the pool's environment).
 *
 *   ?op=add&n=N       closte_add_domain("fpm-N.example.com")
 *   ?op=mixed&n=N     add; every 100th request below 20,000 also lists,
 *                     every 7th removes the domain of request N-7 and adds
 *                     it back (net: one alias per request)
 *   ?op=list          closte_list_domains()
 *   ?op=validate&n=N  closte_validate_domain() only (no network)
 *   ?op=none          does not call the extension
 *   ?op=panic         closte_debug_panic() (test-panic builds only), then a
 *                     normal call in the same request
 */

declare(strict_types=1);

define('CLOSTE_CLIENT_API_KEY', (string) getenv('CLOSTE_TEST_KEY'));

$op = $_GET['op'] ?? 'add';
$n = (int) ($_GET['n'] ?? 0);
$options = [
    'api_url' => getenv('CLOSTE_SIM_URL') . '/api/client',
    'timeout' => (float) ($_GET['timeout'] ?? 10),
    'connect_timeout' => 2,
    'retries' => (int) ($_GET['retries'] ?? 2),
];
$started = microtime(true);
$answer = ['pid' => getmypid(), 'op' => $op, 'n' => $n, 'ok' => true, 'calls' => 0];
try {
    switch ($op) {
        case 'add':
            $r = closte_add_domain("fpm-$n.example.com", $options);
            $answer['attempts'] = $r['attempts'];
            $answer['calls'] = 1;
            break;
        case 'mixed':
            closte_add_domain("fpm-$n.example.com", $options);
            $answer['calls'] = 1;
            if ($n % 7 === 0 && $n >= 7) {
                closte_remove_domain('fpm-' . ($n - 7) . '.example.com', $options);
                closte_add_domain('fpm-' . ($n - 7) . '.example.com', $options);
                $answer['calls'] += 2;
            }
            // Listing stops at 20,000 aliases: past about 40,000 the answer
            // outgrows the extension's 1 MiB cap (an ApiException by design).
            if ($n % 100 === 0 && $n < 20000) {
                $answer['listed'] = count(closte_list_domains($options));
                $answer['calls']++;
            }
            break;
        case 'list':
            $answer['listed'] = count(closte_list_domains($options));
            $answer['calls'] = 1;
            break;
        case 'validate':
            $answer['domain'] = closte_validate_domain("Fpm-$n.Example.COM.");
            $answer['calls'] = 1;
            break;
        case 'none':
            break;
        case 'panic':
            try {
                closte_debug_panic("deliberate panic in request $n");
                $answer['panic'] = 'not thrown';
                $answer['ok'] = false;
            } catch (Closte\Exception $e) {
                $answer['panic'] = get_class($e);
            }
            $r = closte_add_domain("after-panic-$n.example.com", $options);
            $answer['calls'] = 2;
            break;
        default:
            throw new InvalidArgumentException("unknown op $op");
    }
} catch (Throwable $e) {
    $answer['ok'] = false;
    $answer['error'] = get_class($e) . ': ' . $e->getMessage();
}
$answer['ms'] = round((microtime(true) - $started) * 1000, 3);
if (!$answer['ok']) {
    http_response_code(500);
}
header('Content-Type: application/json');
echo json_encode($answer);
