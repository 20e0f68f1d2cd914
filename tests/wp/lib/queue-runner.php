<?php
/**
 * One queue runner, as a web node's WP-Cron or `wp action-scheduler run`
 * would be: Action Scheduler's own QueueRunner, in a PHP process of its own,
 * until the domain jobs are done or its time is up.
 *
 *   php queue-runner.php SECONDS
 *
 * Several of these run at once in nodes_test.php. The concurrent-batches
 * limit is raised (default 1) so that they really overlap, batches are
 * small so that they interleave, and this plugin's retry delay is 1 s.
 */

require __DIR__ . '/bootstrap.php';
$wpt_seconds = (int) ( isset( $argv[1] ) ? $argv[1] : 60 );
wpt_prefilter(
	'action_scheduler_queue_runner_concurrent_batches',
	function () {
		return 16;
	}
);
wpt_prefilter(
	'action_scheduler_queue_runner_batch_size',
	function () {
		return 3;
	}
);
wpt_prefilter(
	'closte_native_retry_base_delay',
	function () {
		return 1;
	}
);
require __DIR__ . '/load-wordpress.php';

$wpt_deadline = microtime( true ) + $wpt_seconds;
$wpt_ran      = 0;
while ( microtime( true ) < $wpt_deadline ) {
	$wpt_done = ActionScheduler_QueueRunner::instance()->run( 'closte-nodes-test' );
	$wpt_ran += (int) $wpt_done;
	if ( 0 === (int) $wpt_done ) {
		if ( ! wpt_pending_actions() ) {
			break;
		}
		usleep( 200000 );
	}
}
echo "runner " . getmypid() . " ran $wpt_ran action(s)\n";
