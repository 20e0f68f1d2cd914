<?php
/**
 * Nothing lost without Action Scheduler: retries go through WP-Cron on the
 * network's main site.
 */

require __DIR__ . '/lib/bootstrap.php';
define( 'CLOSTE_STANDIN_NO_ACTION_SCHEDULER', true );
require __DIR__ . '/lib/load-wordpress.php';
require __DIR__ . '/lib/retry-scenarios.php';

$queue = (object) array(
	'pending' => function () {
		return array_map(
			function ( $event ) {
				return $event[1][0];
			},
			wpt_cron_events( 'closte_native_domain_job' )
		);
	},
	'drain'   => function () {
		wpt_run_cron( 'closte_native_domain_job' );
	},
);

closte_test( 'WP-Cron is the queue', function () {
	assert_false( function_exists( 'as_schedule_single_action' ), 'as_schedule_single_action exists' );
} );

closte_test( 'a retry scheduled from another site lands on the main site', function () {
	wpt_sim_reset();
	$domain  = wpt_domain( 'cron-switched' );
	$site    = wpmu_create_blog( wpt_domain( 'cron-other' ), '/', 'Other', 1, array(), get_current_network_id() );
	wpt_run_jobs(); // The new site's own domain goes to Closte first.
	$back_up = wpt_take_closte_down();
	switch_to_blog( $site );
	do_action( 'wu_add_domain', $domain, $site );
	$on_other_site = wpt_cron_events( 'closte_native_domain_job' );
	restore_current_blog();
	$back_up();
	assert_same( array(), $on_other_site, 'events on the other site' );
	assert_same( 1, count( wpt_cron_events( 'closte_native_domain_job' ) ), 'events on the main site' );
	wpt_run_cron( 'closte_native_domain_job' );
} );

wpt_register_retry_scenarios( $queue, 'cron', 'WP-Cron' );

closte_test_run();
