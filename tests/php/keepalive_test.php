<?php
/**
 * Kept-alive connections: reused while they live, never used once the server
 * has closed them.
 */

require __DIR__ . '/bootstrap.php';

/**
 * [API requests, connections] the simulator has seen since its last reset,
 * not counting this control call's own connection.
 */
function sim_traffic(): array
{
    $state = sim_request('GET', '/_sim/state');
    return [(int) $state['requests'], (int) $state['connections'] - 1];
}

// First in this file: the process has no connection yet.
closte_test('30 consecutive calls from one process use one connection', function () {
    sim_reset();
    for ($i = 0; $i < 15; $i++) {
        closte_add_domain("reuse$i.example.com", sim_options());
        closte_remove_domain("reuse$i.example.com", sim_options());
    }
    assert_same([30, 1], sim_traffic(), '[API requests, connections]');
});

closte_test('a connection the server closed while idle is not used again (no retry needed)', function () {
    sim_reset();
    sim_request('POST', '/_sim/config', ['idle_timeout_ms' => 150]);
    try {
        for ($round = 1; $round <= 5; $round++) {
            closte_add_domain("idle$round.example.com", sim_options(['retries' => 0]));
            [, $before] = sim_traffic();
            // Long past the simulator's idle timeout (which applies from the
            // request just made): it has closed the connection, and its FIN
            // is waiting in our socket.
            usleep(500000);
            // retries => 0: sending on the closed connection would throw.
            $result = closte_remove_domain("idle$round.example.com", sim_options(['retries' => 0]));
            [, $after] = sim_traffic();
            assert_same(1, $result['attempts'], "attempts of the call after the pause (round $round)");
            // $after also counts the control connection of the first reading.
            assert_same(1, $after - $before - 1, "new connections for the call after the pause (round $round)");
        }
    } finally {
        sim_request('POST', '/_sim/config', ['idle_timeout_ms' => 120000]);
    }
    [$requests] = sim_traffic();
    assert_same(10, $requests, 'API requests (none failed and retried)');
    assert_same([], sim_aliases(), 'aliases left');
});

closte_test_run();
