<?php
/**
 * Nothing lost: transient failures are re-queued through the Action
 * Scheduler that Ultimate Multisite bundles (the real one, 3.9.3).
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/load-wordpress.php';
require __DIR__ . '/lib/retry-scenarios.php';

$queue = (object) array(
	'pending' => function () {
		return wpt_plugin_jobs();
	},
	'drain'   => function () {
		wpt_run_jobs( 1 );
	},
);

closte_test( 'Action Scheduler is the queue', function () {
	assert_true( function_exists( 'as_schedule_single_action' ), 'as_schedule_single_action exists' );
} );

wpt_register_retry_scenarios( $queue, 'as', 'Action Scheduler' );

closte_test_run();
