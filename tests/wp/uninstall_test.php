<?php
/**
 * Deactivating and deleting the plugin remove its pending jobs, whatever
 * their payload: every job of closte_native_domain_job carries one argument
 * (its payload array), and Action Scheduler matches an args array exactly,
 * so an unschedule call with array() would match none of them. Jobs of
 * other hooks and groups stay.
 *
 * Deletion is run twice: in this process, where the plugin is loaded, and
 * in a child process where it is not (the case WordPress is in when it
 * deletes an inactive plugin: uninstall.php must load the queue itself).
 * The child is this file run with --uninstall-child.
 */

if ( isset( $argv[1] ) && '--uninstall-child' === $argv[1] ) {
	require __DIR__ . '/lib/bootstrap.php';
	define( 'CLOSTE_TEST_WITHOUT_NATIVE', true );
	require __DIR__ . '/lib/load-wordpress.php';
	$wpt_loaded = class_exists( 'Closte_Native_Queue', false );
	// What uninstall_plugin() does.
	define( 'WP_UNINSTALL_PLUGIN', 'closte-native/closte-native.php' );
	include WP_PLUGIN_DIR . '/closte-native/uninstall.php';
	echo wp_json_encode( array( 'queue_loaded_before' => $wpt_loaded ) ), "\n";
	exit( 0 );
}

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/load-wordpress.php';

const WPT_OTHER_HOOK  = 'closte_test_unrelated_job';
const WPT_OTHER_GROUP = 'closte-test-unrelated';

/**
 * Pending Action Scheduler actions of a hook (any args) in a group.
 *
 * @return ActionScheduler_Action[]
 */
function wpt_pending( $hook, $group ) {
	$ids = as_get_scheduled_actions(
		array(
			'hook'     => $hook,
			'group'    => $group,
			'status'   => ActionScheduler_Store::STATUS_PENDING,
			'per_page' => -1,
		),
		'ids'
	);
	return array_map(
		function ( $id ) {
			return ActionScheduler::store()->fetch_action( $id );
		},
		$ids
	);
}

/**
 * The domains of this plugin's pending Action Scheduler jobs, sorted.
 */
function wpt_pending_domains() {
	$domains = array();
	foreach ( wpt_pending( Closte_Native_Queue::HOOK, Closte_Native_Queue::GROUP ) as $action ) {
		$args      = $action->get_args();
		$domains[] = $args[0]['operation'] . ' ' . $args[0]['domain'];
	}
	sort( $domains );
	return $domains;
}

/**
 * WP-Cron events of a hook on this (the main) site, from the database.
 */
function wpt_cron_count( $hook ) {
	wp_cache_flush(); // The child process changed the option behind this one's cache.
	$count = 0;
	foreach ( (array) _get_cron_array() as $hooks ) {
		$count += isset( $hooks[ $hook ] ) ? count( $hooks[ $hook ] ) : 0;
	}
	return $count;
}

/**
 * Two payload jobs through the plugin's queue (an add and a remove, two
 * domains, an hour or two away), a WP-Cron event of the hook left from a
 * time Action Scheduler was missing, and the jobs that must survive: another
 * hook in another group, another hook in this plugin's group, another
 * hook's WP-Cron event. Returns the two domains.
 */
function wpt_schedule_jobs( $label ) {
	Closte_Native_Queue::unschedule_all(); // Whatever earlier test files left.
	$queue  = new Closte_Native_Queue();
	$add    = wpt_domain( "$label-add" );
	$remove = wpt_domain( "$label-remove" );
	assert_true( $queue->schedule( 'add', $add, 1, 2, HOUR_IN_SECONDS ), 'add job scheduled' );
	assert_true( $queue->schedule( 'remove', $remove, 1, 3, 2 * HOUR_IN_SECONDS ), 'remove job scheduled' );
	as_schedule_single_action( time() + HOUR_IN_SECONDS, WPT_OTHER_HOOK, array( array( 'keep' => $label ) ), WPT_OTHER_GROUP );
	as_schedule_single_action( time() + HOUR_IN_SECONDS, WPT_OTHER_HOOK, array( array( 'keep' => $label ) ), Closte_Native_Queue::GROUP );
	wp_schedule_single_event(
		time() + HOUR_IN_SECONDS,
		Closte_Native_Queue::HOOK,
		array(
			array(
				'operation' => 'add',
				'domain'    => wpt_domain( "$label-cron" ),
				'site_id'   => 1,
				'attempt'   => 2,
			),
		)
	);
	wp_schedule_single_event( time() + HOUR_IN_SECONDS, WPT_OTHER_HOOK, array( $label ) );

	assert_same( array( "add $add", "remove $remove" ), wpt_pending_domains(), 'pending payload jobs' );
	$next = as_next_scheduled_action( Closte_Native_Queue::HOOK, null, Closte_Native_Queue::GROUP );
	assert_true( is_int( $next ) && $next > time(), 'as_next_scheduled_action sees a job: ' . var_export( $next, true ) );
	assert_false( as_next_scheduled_action( Closte_Native_Queue::HOOK, array(), Closte_Native_Queue::GROUP ), 'args array() matches none of them' );
	assert_same( 1, wpt_cron_count( Closte_Native_Queue::HOOK ), 'WP-Cron events of the hook' );
	return array( $add, $remove );
}

/**
 * Nothing of the plugin is pending; the other jobs are.
 */
function wpt_assert_only_others_left() {
	assert_same( array(), wpt_pending_domains(), 'pending payload jobs' );
	assert_false( as_next_scheduled_action( Closte_Native_Queue::HOOK, null, Closte_Native_Queue::GROUP ), 'as_next_scheduled_action' );
	assert_same( 0, wpt_cron_count( Closte_Native_Queue::HOOK ), 'WP-Cron events of the hook' );
	assert_same( 1, count( wpt_pending( WPT_OTHER_HOOK, WPT_OTHER_GROUP ) ), 'another hook in another group' );
	assert_same( 1, count( wpt_pending( WPT_OTHER_HOOK, Closte_Native_Queue::GROUP ) ), 'another hook in this plugin\'s group' );
	assert_same( 1, wpt_cron_count( WPT_OTHER_HOOK ), 'another hook\'s WP-Cron event' );
}

/**
 * Removes what wpt_schedule_jobs() made that must not reach later test files.
 */
function wpt_cleanup() {
	as_unschedule_all_actions( WPT_OTHER_HOOK );
	wp_unschedule_hook( WPT_OTHER_HOOK );
	Closte_Native_Queue::unschedule_all();
}

closte_test( 'Action Scheduler is the queue, and deactivation is hooked', function () {
	assert_true( ( new Closte_Native_Queue() )->uses_action_scheduler(), 'Action Scheduler available' );
	assert_true( ActionScheduler::is_initialized(), 'Action Scheduler initialised' );
	$hook = 'deactivate_' . plugin_basename( CLOSTE_NATIVE_FILE );
	assert_same( 'deactivate_closte-native/closte-native.php', $hook, 'deactivation hook name' );
	assert_same( 10, has_action( $hook, 'closte_native_deactivate' ), 'closte_native_deactivate on the deactivation hook' );
} );

closte_test( 'unschedule_all() removes every payload job and says how many', function () {
	try {
		wpt_schedule_jobs( 'count' );
		assert_same( 3, Closte_Native_Queue::unschedule_all(), 'removed (2 Action Scheduler jobs, 1 WP-Cron event)' );
		wpt_assert_only_others_left();
		assert_same( 0, Closte_Native_Queue::unschedule_all(), 'removed the second time' );
	} finally {
		wpt_cleanup();
	}
} );

closte_test( 'deactivating the plugin removes its pending jobs, and only those', function () {
	try {
		wpt_schedule_jobs( 'deactivate' );
		Closte_Native_Plugin::instance()->reconcile->ensure_schedule();
		assert_true( is_int( as_next_scheduled_action( Closte_Native_Reconcile::HOOK, array(), Closte_Native_Reconcile::GROUP ) ), 'the daily reconcile is scheduled' );
		// What deactivate_plugins() fires for a network-wide deactivation.
		do_action( 'deactivate_closte-native/closte-native.php', true );
		wpt_assert_only_others_left();
		assert_false( as_next_scheduled_action( Closte_Native_Reconcile::HOOK, array(), Closte_Native_Reconcile::GROUP ), 'the daily reconcile after deactivation' );
	} finally {
		wpt_cleanup();
	}
} );

closte_test( 'uninstall.php removes the pending jobs, the notice dismissals and the cached aliases', function () {
	try {
		wpt_schedule_jobs( 'uninstall' );
		update_user_meta( 1, 'closte_native_notice_dismissed', '1' );
		set_site_transient( 'closte_native_admin_aliases', array( wpt_domain( 'cached' ) ), HOUR_IN_SECONDS );
		// What uninstall_plugin() does; the plugin's classes are loaded here (see the child case below).
		define( 'WP_UNINSTALL_PLUGIN', 'closte-native/closte-native.php' );
		include WP_PLUGIN_DIR . '/closte-native/uninstall.php';
		wpt_assert_only_others_left();
		assert_same( '', get_user_meta( 1, 'closte_native_notice_dismissed', true ), 'notice dismissal' );
		assert_false( get_site_transient( 'closte_native_admin_aliases' ), 'cached aliases' );
	} finally {
		wpt_cleanup();
	}
} );

closte_test( 'uninstall.php works when the plugin is not loaded (as for an inactive plugin)', function () {
	try {
		wpt_schedule_jobs( 'uninstall-child' );
		$process = proc_open(
			array( PHP_BINARY, __FILE__, '--uninstall-child' ),
			array(
				1 => array( 'pipe', 'w' ),
				2 => array( 'pipe', 'w' ),
			),
			$pipes
		);
		$out    = stream_get_contents( $pipes[1] );
		$err    = stream_get_contents( $pipes[2] );
		$status = proc_close( $process );
		$lines  = array_values( array_filter( explode( "\n", trim( $out ) ), 'strlen' ) );
		$result = $lines ? json_decode( end( $lines ), true ) : null;
		if ( 0 !== $status || ! is_array( $result ) ) {
			closte_fail( "child process failed (exit $status): " . trim( $out . "\n" . $err ) );
		}
		assert_false( $result['queue_loaded_before'], 'the queue class was loaded before uninstall.php in the child' );
		wpt_assert_only_others_left();
	} finally {
		wpt_cleanup();
	}
} );

closte_test_run();
