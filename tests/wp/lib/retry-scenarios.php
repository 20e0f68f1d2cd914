<?php
/**
 * "Closte down, then back" scenarios, shared by the Action Scheduler and the
 * WP-Cron runs. $queue is an object with two closures: pending() lists this
 * plugin's waiting jobs as payload arrays, drain() runs them all.
 */

/**
 * Points the extension at a dead port until the returned closure is called.
 */
function wpt_take_closte_down() {
	$url    = wpt_dead_api_url();
	$filter = function ( $options ) use ( $url ) {
		return array_merge( $options, array( 'api_url' => $url, 'retries' => 0 ) );
	};
	add_filter( 'closte_native_request_options', $filter );
	return function () use ( $filter ) {
		remove_filter( 'closte_native_request_options', $filter );
	};
}

/**
 * Warning and error lines since $mark that name $domain.
 */
function wpt_problem_lines( $mark, $domain ) {
	$lines = array_merge( wpt_log_lines( $mark, 'WARNING' ), wpt_log_lines( $mark, 'ERROR' ) );
	return array_values(
		array_filter(
			$lines,
			function ( $line ) use ( $domain ) {
				return false !== strpos( $line, $domain );
			}
		)
	);
}

function wpt_register_retry_scenarios( $queue, $label, $scheduler ) {
	closte_test( "Closte down, then back: re-queued via $scheduler, lands once", function () use ( $queue, $label, $scheduler ) {
		wpt_sim_reset();
		$mark     = wpt_log_mark();
		$domain   = wpt_domain( "$label-down" );
		$back_up  = wpt_take_closte_down();
		wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
		wpt_run_jobs( 1 );
		assert_same( array(), wpt_sim_aliases(), 'aliases while down' );
		$pending = ( $queue->pending )();
		assert_same( 1, count( $pending ), 'jobs queued' );
		assert_same( array( 'operation' => 'add', 'domain' => $domain, 'site_id' => 1, 'attempt' => 2 ), $pending[0], 'job' );
		$problems = wpt_problem_lines( $mark, $domain );
		assert_same( 1, count( $problems ), 'warning lines' );
		assert_contains( "Attempt 1 of 6; retry in 60 s via $scheduler", $problems[0], 'warning' );
		$back_up();
		( $queue->drain )();
		assert_same( array( $domain ), wpt_sim_aliases(), 'aliases once back' );
		assert_same( array( 'add' ), wpt_request_kinds( wpt_sim_requests( $domain ) ), 'requests' );
		assert_same( 1, count( wpt_problem_lines( $mark, $domain ) ), 'warning and error lines in all' );
		assert_same( array(), ( $queue->pending )(), 'jobs left' );
	} );

	closte_test( "HTTP 503 after the extension's retries: re-queued via $scheduler, lands once", function () use ( $queue, $label ) {
		wpt_sim_reset();
		$mark   = wpt_log_mark();
		$domain = wpt_domain( "$label-503" );
		wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
		wpt_sim_fault( array( 'kind' => 'status', 'status' => 503 ) );
		wpt_run_jobs( 1 );
		wpt_sim_clear_fault();
		$failed = wpt_sim_requests( $domain );
		assert_true( count( $failed ) >= 1, 'the simulator saw the first attempt' );
		assert_same( 503, (int) $failed[0]['status'], 'status of the first attempt' );
		assert_same( 1, count( ( $queue->pending )() ), 'jobs queued' );
		$problems = wpt_problem_lines( $mark, $domain );
		assert_same( 1, count( $problems ), 'warning lines' );
		assert_contains( 'HTTP 503', $problems[0], 'warning' );
		wpt_sim_reset();
		( $queue->drain )();
		assert_same( array( $domain ), wpt_sim_aliases(), 'aliases' );
		assert_same( array( 'add' ), wpt_request_kinds( wpt_sim_requests( $domain ) ), 'requests after the fault' );
	} );

	closte_test( "gives up after 6 attempts with an error naming the domain ($scheduler)", function () use ( $queue, $label ) {
		wpt_sim_reset();
		$mark    = wpt_log_mark();
		$domain  = wpt_domain( "$label-gone" );
		$back_up = wpt_take_closte_down();
		wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
		wpt_run_jobs( 1 );
		for ( $i = 0; $i < 8 && ( $queue->pending )(); $i++ ) {
			( $queue->drain )();
		}
		$back_up();
		assert_same( array(), ( $queue->pending )(), 'jobs left' );
		assert_same( 5, count( wpt_log_lines( $mark, 'WARNING' ) ), 'warnings' );
		$errors = wpt_log_lines( $mark, 'ERROR' );
		assert_same( 1, count( $errors ), 'errors' );
		assert_contains( "Gave up: could not add Closte alias $domain (site 1) after 6 attempts", $errors[0], 'error' );
	} );

	closte_test( "a retry is dropped when the domain was unmapped meanwhile ($scheduler)", function () use ( $queue, $label ) {
		wpt_sim_reset();
		$domain  = wpt_domain( "$label-unmapped" );
		$back_up = wpt_take_closte_down();
		$record  = wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
		wpt_run_jobs( 1 );
		$back_up();
		wpt_delete_domain( $record );
		wpt_run_jobs( 1 ); // Ultimate Multisite's wu_remove_domain job.
		( $queue->drain )();
		assert_same( array(), wpt_sim_aliases(), 'aliases' );
		assert_same( array( 'delete' ), wpt_request_kinds( wpt_sim_requests( $domain ) ), 'requests' );
	} );
}
