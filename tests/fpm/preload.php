<?php
/**
 * opcache.preload script: runs once in the PHP-FPM master, after module
 * start-up and before any worker is forked, when the master does not run as
 * root (as root, PHP 8.2 preloads in a short-lived child running as
 * opcache.preload_user instead). It uses the extension for real, so the
 * master holds a live HTTP runtime and a kept-alive connection when it
 * forks: the workers must not use what they inherit (a shared socket, the
 * parent's epoll descriptor).
 * It records what it did in $CLOSTE_PRELOAD_REPORT (JSON).
 */

declare(strict_types=1);

$report = ['pid' => getmypid(), 'ok' => false];
try {
    $options = [
        'api_key' => (string) getenv('CLOSTE_TEST_KEY'),
        'api_url' => getenv('CLOSTE_SIM_URL') . '/api/client',
        'timeout' => 5,
        'connect_timeout' => 2,
    ];
    $report['add'] = closte_add_domain('master.example.com', $options)['ok'];
    $report['listed'] = count(closte_list_domains($options));
    $report['ok'] = true;
} catch (Throwable $e) {
    $report['error'] = get_class($e) . ': ' . $e->getMessage();
}
$path = getenv('CLOSTE_PRELOAD_REPORT');
if (is_string($path) && $path !== '') {
    file_put_contents($path, json_encode($report));
}
