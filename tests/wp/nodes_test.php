<?php
/**
 * Several web nodes on one database: four queue runners in separate PHP
 * processes at once (lib/queue-runner.php, the concurrent-batches limit
 * raised so they overlap), Closte answering 503 to about half the calls,
 * hundreds of domains mapped, mapped then unmapped before any runner ran,
 * and unmapped then mapped again; then a runner killed in the middle of a
 * call. After the runners: Closte's aliases equal Ultimate Multisite's
 * records, domain by domain; no domain got two successful adds without a
 * removal between; nothing is left pending; every failed job was
 * scheduled again. Prints the figures.
 *
 * @closte-run subdomain-only
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/load-wordpress.php';

const WPT_RUNNERS = 4;

/**
 * Starts N runners; returns their process handles.
 */
function wpt_start_runners( $count, $seconds ) {
	$runners = array();
	for ( $i = 0; $i < $count; $i++ ) {
		$command = array( PHP_BINARY );
		foreach ( array( 'extension' => wpt_env( 'CLOSTE_SO' ), 'closte.api_url' => ini_get( 'closte.api_url' ), 'closte.timeout' => ini_get( 'closte.timeout' ), 'closte.connect_timeout' => ini_get( 'closte.connect_timeout' ) ) as $ini => $value ) {
			array_push( $command, '-d', "$ini=$value" );
		}
		array_push( $command, __DIR__ . '/lib/queue-runner.php', (string) $seconds );
		$pipes     = array();
		$process   = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$runners[] = array( $process, $pipes );
	}
	return $runners;
}

/**
 * Waits for runners; returns their output.
 */
function wpt_wait_runners( array $runners ) {
	$out = '';
	foreach ( $runners as $runner ) {
		list( $process, $pipes ) = $runner;
		$out .= stream_get_contents( $pipes[1] ) . stream_get_contents( $pipes[2] );
		proc_close( $process );
	}
	return $out;
}

/**
 * Successful alias changes per domain, in order, from simulator requests.
 */
function wpt_successful_changes( array $requests ) {
	$changes = array();
	foreach ( $requests as $request ) {
		if ( 'none' !== $request['fault'] || 200 !== (int) $request['status'] || ! isset( $request['fields']['domain'] ) ) {
			continue;
		}
		$kind = 'adddomainalias' === $request['endpoint'] ? 'add' : ( 'deletedomainalias' === $request['endpoint'] ? 'delete' : '' );
		if ( '' !== $kind ) {
			$changes[ $request['fields']['domain'] ][] = $kind;
		}
	}
	return $changes;
}

/**
 * Asserts the end state and returns the figures.
 */
function wpt_assert_converged( $label ) {
	// This file's domains only: the network keeps other tests' records.
	$mine   = function ( $name ) {
		return '.nodes.example' === substr( $name, -strlen( '.nodes.example' ) );
	};
	$um     = array_values( array_filter( Closte_Native_Um_State::mapped_domains(), $mine ) );
	$closte = array_values( array_filter( wpt_sim_aliases(), $mine ) );
	sort( $um );
	$missing = array_values( array_diff( $um, $closte ) );
	$extra   = array_values( array_diff( $closte, $um ) );
	assert_same( array(), $missing, "$label: mapped in Ultimate Multisite, no alias on Closte (lost)" );
	assert_same( array(), $extra, "$label: alias on Closte, no record in Ultimate Multisite" );
	assert_same( array(), array_keys( wpt_pending_actions() ), "$label: domain jobs left pending" );
	return array( count( $um ), count( $closte ), count( $missing ) );
}

/**
 * Failed domain jobs newer than $after_id: "id hook: what Action Scheduler logged".
 */
function wpt_failed_domain_jobs( $after_id ) {
	$failed = array();
	foreach ( array( 'domain', 'closte-native' ) as $group ) {
		foreach ( as_get_scheduled_actions( array( 'status' => ActionScheduler_Store::STATUS_FAILED, 'group' => $group, 'per_page' => 1000 ), 'ids' ) as $id ) {
			if ( (int) $id <= $after_id ) {
				continue;
			}
			$logs     = array_map(
				function ( $entry ) {
					return $entry->get_message();
				},
				ActionScheduler::logger()->get_logs( $id )
			);
			$failed[] = $id . ' ' . ActionScheduler::store()->fetch_action( $id )->get_hook() . ': ' . implode( ' / ', $logs );
		}
	}
	return $failed;
}

/**
 * The newest action id now.
 */
function wpt_last_action_id() {
	global $wpdb;
	return (int) $wpdb->get_var( "SELECT MAX(action_id) FROM {$wpdb->prefix}actionscheduler_actions" );
}

function wpt_max_lock_ms( $mark ) {
	$max = 0;
	foreach ( wpt_log_lines( $mark, 'DEBUG' ) as $line ) {
		if ( preg_match( '/Lock of \S+ held (\d+) ms\./', $line, $m ) ) {
			$max = max( $max, (int) $m[1] );
		}
	}
	return $max;
}

closte_test( 'four runners, 503 on half the calls: 300 maps, 100 map-then-unmap, 50 unmap-then-map converge', function () {
	// Phase 0: 50 domains mapped and on Closte, to be unmapped and mapped again.
	wpt_sim_reset();
	$first_id = wpt_last_action_id();
	$again = array();
	for ( $i = 0; $i < 50; $i++ ) {
		$again[] = wu_create_domain( array( 'domain' => "again-$i.nodes.example", 'blog_id' => 1 ) );
	}
	wpt_wait_runners( wpt_start_runners( WPT_RUNNERS, 60 ) );
	assert_same( 50, count( wpt_sim_aliases() ), 'phase 0 aliases' );
	$phase0_requests = count( wpt_sim_requests() );

	// Phase 1: the events pile up before any runner runs.
	$mark = wpt_log_mark();
	for ( $i = 0; $i < 300; $i++ ) {
		wu_create_domain( array( 'domain' => "map-$i.nodes.example", 'blog_id' => 1 ) );
	}
	for ( $i = 0; $i < 100; $i++ ) {
		$record = wu_create_domain( array( 'domain' => "flip-$i.nodes.example", 'blog_id' => 1 ) );
		wpt_delete_domain( $record );
	}
	foreach ( $again as $i => $record ) {
		wpt_delete_domain( $record );
		wu_create_domain( array( 'domain' => "again-$i.nodes.example", 'blog_id' => 1 ) );
	}
	wpt_sim_fault( array( 'kind' => 'status', 'status' => 503, 'probability' => 0.5, 'seed' => 11 ) );
	$started = microtime( true );
	$output  = wpt_wait_runners( wpt_start_runners( WPT_RUNNERS, 240 ) );
	$elapsed = microtime( true ) - $started;
	wpt_sim_clear_fault();

	$requests = array_slice( wpt_sim_requests(), $phase0_requests );
	$faulted  = count( array_filter( $requests, function ( $r ) {
		return 'none' !== $r['fault'];
	} ) );
	list( $records, $aliases, $lost ) = wpt_assert_converged( 'phase 1' );
	// Each event, decided by Ultimate Multisite's state when its call was
	// about to be made, reached Closte successfully exactly once: an add for
	// every map-* and again-* domain (mapped at the end), a removal for
	// every flip-* one (unmapped at the end), and nothing else.
	$changes    = wpt_successful_changes( $requests );
	$duplicates = 0;
	$wrong      = array();
	foreach ( array( 'map' => 300, 'flip' => 100, 'again' => 50 ) as $kind => $count ) {
		for ( $i = 0; $i < $count; $i++ ) {
			$domain   = "$kind-$i.nodes.example";
			$expected = 'flip' === $kind ? array( 'delete' ) : array( 'add' );
			$got      = isset( $changes[ $domain ] ) ? $changes[ $domain ] : array();
			if ( $got !== $expected ) {
				$wrong[ $domain ] = implode( ',', $got );
				$duplicates      += max( 0, count( $got ) - 1 );
			}
		}
	}
	assert_same( array(), $wrong, 'successful calls per domain that are not exactly the one expected' );
	assert_same( array(), wpt_failed_domain_jobs( $first_id ), 'domain jobs failed' );
	$dropped = count( preg_grep( '/Dropped the call to/', wpt_log_lines( $mark, 'INFO' ) ) );
	assert_true( $dropped >= 100, "calls dropped by Ultimate Multisite's last word: $dropped" );
	assert_true( $faulted > 100, "faults injected: $faulted" );
	printf(
		"     figures: %d runners, %d records, %d aliases, %d API requests (%d answered 503), %d calls dropped by Ultimate Multisite's state, duplicates %d, lost %d, lock held at most %d ms, %.1f s\n",
		WPT_RUNNERS,
		$records,
		$aliases,
		count( $requests ),
		$faulted,
		$dropped,
		$duplicates,
		$lost,
		wpt_max_lock_ms( $mark ),
		$elapsed
	);
	assert_contains( 'ran', $output, 'runner output' );
} );

closte_test( 'a runner killed in the middle of a call: the job is failed by the cleaner, scheduled again, and lands', function () {
	$mark   = wpt_log_mark();
	$domain = 'killed.nodes.example';
	wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
	wpt_sim_fault( array( 'kind' => 'hang', 'ms' => 60000, 'count' => 1 ) );
	$runners = wpt_start_runners( 1, 120 );
	for ( $i = 0; $i < 300 && ! wpt_sim_requests( $domain ); $i++ ) {
		usleep( 50000 );
	}
	assert_same( 1, count( wpt_sim_requests( $domain ) ), 'the call reached Closte before the kill' );
	$status = proc_get_status( $runners[0][0] );
	posix_kill( $status['pid'], 9 );
	wpt_wait_runners( $runners );
	wpt_sim_clear_fault();
	assert_same( array(), wpt_sim_aliases_matching( $domain ), 'alias after the kill' );
	$running = as_get_scheduled_actions( array( 'status' => ActionScheduler_Store::STATUS_RUNNING, 'hook' => 'wu_add_domain', 'per_page' => 10 ), 'ids' );
	assert_same( 1, count( $running ), 'the job is left in progress' );
	// Action Scheduler's cleaner, as it runs before every queue: 1 s instead of 5 minutes.
	sleep( 2 );
	// The dead runner's other claimed jobs go back to the queue; its running one is failed.
	$cleaner = new ActionScheduler_QueueCleaner( ActionScheduler::store() );
	$cleaner->reset_timeouts( 1 );
	$cleaner->mark_failures( 1 );
	$warnings = preg_grep( '/failed \(it was still running after 1 s, so its worker died\): scheduled again as attempt 2 of 6/', wpt_log_lines( $mark, 'WARNING' ) );
	assert_same( 1, count( $warnings ), 'warning lines' );
	wpt_wait_runners( wpt_start_runners( 1, 60 ) );
	assert_same( array( $domain ), wpt_sim_aliases_matching( $domain ), 'alias once scheduled again' );
	assert_same( array(), array_keys( wpt_pending_actions() ), 'pending' );
	wpt_assert_converged( 'after the kill' );
} );

/**
 * The simulator's aliases equal to one name.
 */
function wpt_sim_aliases_matching( $domain ) {
	return array_values( array_intersect( wpt_sim_aliases(), array( $domain ) ) );
}

closte_test_run();
