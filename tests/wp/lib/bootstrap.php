<?php
/**
 * Shared helpers for tests/wp/*_test.php. Include it first, define the
 * switches of the closte-test-env mu-plugin if any (tests/wp/fixtures/
 * mu-plugins), then include load-wordpress.php.
 * Paths and URLs come from tests/wp/run.sh through the environment.
 */

require_once dirname( __DIR__, 2 ) . '/lib/harness.php';

function wpt_env( $name ) {
	$value = getenv( $name );
	if ( false === $value || '' === $value ) {
		fwrite( STDERR, "missing environment variable $name: run this through tests/wp/run.sh\n" );
		exit( 2 );
	}
	return $value;
}

/**
 * Adds a filter before WordPress loads (WordPress picks up a pre-filled $wp_filter).
 */
function wpt_prefilter( $hook, callable $callback, $priority = 10, $accepted_args = 1 ) {
	$GLOBALS['wp_filter'][ $hook ][ $priority ][] = array(
		'function'      => $callback,
		'accepted_args' => $accepted_args,
	);
}

/**
 * 'sub' or 'dir': which network this run is on.
 */
function wpt_net() {
	return 'subdomain' === wpt_env( 'CLOSTE_WP_NETWORK' ) ? 'sub' : 'dir';
}

/**
 * A domain unique to this network: "$label.$net.example".
 */
function wpt_domain( $label ) {
	return $label . '.' . wpt_net() . '.example';
}

/**
 * One call to the simulator; returns the decoded JSON answer.
 */
function wpt_sim( $method, $path, $body = null ) {
	$context = stream_context_create(
		array(
			'http' => array(
				'method'        => $method,
				'header'        => "Content-Type: application/json\r\n",
				'content'       => null === $body ? '' : json_encode( $body ),
				'ignore_errors' => true,
				'timeout'       => 10,
			),
		)
	);
	$text = file_get_contents( wpt_env( 'CLOSTE_SIM_URL' ) . $path, false, $context );
	if ( false === $text ) {
		closte_fail( "simulator unreachable: $method $path" );
	}
	return json_decode( $text, true );
}

function wpt_sim_reset() {
	wpt_sim( 'POST', '/_sim/reset' );
}

/**
 * The aliases the simulator holds for the test key, sorted.
 */
function wpt_sim_aliases() {
	$answer  = wpt_sim( 'GET', '/_sim/aliases?key=' . rawurlencode( wpt_env( 'CLOSTE_TEST_KEY' ) ) );
	$domains = isset( $answer['domains'] ) ? $answer['domains'] : array();
	sort( $domains );
	return $domains;
}

/**
 * The API requests the simulator saw, optionally only those for one domain.
 */
function wpt_sim_requests( $domain = null ) {
	$answer   = wpt_sim( 'GET', '/_sim/requests' );
	$requests = isset( $answer['requests'] ) ? $answer['requests'] : (array) $answer;
	if ( null === $domain ) {
		return $requests;
	}
	return array_values(
		array_filter(
			$requests,
			function ( $r ) use ( $domain ) {
				return isset( $r['fields']['domain'] ) && $domain === $r['fields']['domain'];
			}
		)
	);
}

/**
 * "add"/"delete" per request, e.g. ['add' , 'delete'].
 */
function wpt_request_kinds( array $requests ) {
	return array_map(
		function ( $r ) {
			return false !== strpos( $r['path'], 'adddomainalias' ) ? 'add' : ( false !== strpos( $r['path'], 'deletedomainalias' ) ? 'delete' : $r['path'] );
		},
		$requests
	);
}

function wpt_sim_fault( array $fault ) {
	wpt_sim( 'POST', '/_sim/fault', $fault );
}

function wpt_sim_clear_fault() {
	wpt_sim( 'DELETE', '/_sim/fault' );
}

/**
 * A loopback URL where nothing listens: "Closte is down".
 */
function wpt_dead_api_url() {
	$server = stream_socket_server( 'tcp://127.0.0.1:0' );
	$name   = stream_socket_get_name( $server, false );
	fclose( $server );
	return 'http://' . $name . '/api/client';
}

function wpt_log_file() {
	return WP_CONTENT_DIR . '/uploads/wu-logs/integration-closte.log';
}

/**
 * Where the Closte log ends now; pass it to wpt_log_since().
 */
function wpt_log_mark() {
	clearstatcache();
	return is_file( wpt_log_file() ) ? filesize( wpt_log_file() ) : 0;
}

function wpt_log_since( $mark ) {
	clearstatcache();
	return is_file( wpt_log_file() ) ? (string) file_get_contents( wpt_log_file(), false, null, $mark ) : '';
}

/**
 * Log lines since $mark at one level (DEBUG, INFO, WARNING, ERROR).
 */
function wpt_log_lines( $mark, $level ) {
	// Ultimate Multisite's logger writes "[date time] [LEVEL] message".
	return array_values( preg_grep( '/^\[[^\]]+\] \[' . $level . '\] /', explode( "\n", wpt_log_since( $mark ) ) ) );
}

/**
 * The calls Ultimate Multisite's built-in Closte integration made in this
 * process (recorded by the closte-test-env mu-plugin, never sent), as
 * [ 'endpoint' => 'adddomainalias', 'domain' => ..., 'wildcard' => '0'|'1'|null ].
 *
 * @param bool $with_ssl Keep its calls to the SSL endpoints it guesses.
 */
function wpt_builtin_calls( $with_ssl = true ) {
	$calls = array();
	foreach ( $GLOBALS['closte_test_http'] as $request ) {
		if ( 'app.closte.com' !== $request['host'] ) {
			continue;
		}
		$endpoint = ltrim( substr( $request['path'], strlen( '/api/client' ) ), '/' );
		if ( ! $with_ssl && ! in_array( $endpoint, array( 'adddomainalias', 'deletedomainalias' ), true ) ) {
			continue;
		}
		$calls[] = array(
			'endpoint' => $endpoint,
			'domain'   => isset( $request['body']['domain'] ) ? (string) $request['body']['domain'] : null,
			'wildcard' => isset( $request['body']['wildcard'] ) ? (string) (int) $request['body']['wildcard'] : null,
		);
	}
	return $calls;
}

/**
 * The requests the simulator saw, in the shape of wpt_builtin_calls().
 */
function wpt_native_calls() {
	return array_map(
		function ( $request ) {
			return array(
				'endpoint' => $request['endpoint'],
				'domain'   => isset( $request['fields']['domain'] ) ? (string) $request['fields']['domain'] : null,
				'wildcard' => isset( $request['fields']['wildcard'] ) ? (string) $request['fields']['wildcard'] : null,
			);
		},
		wpt_sim_requests()
	);
}

/**
 * Pending Action Scheduler actions of the groups the domain events use
 * (Ultimate Multisite's 'domain', this plugin's 'closte-native').
 *
 * @return ActionScheduler_Action[] By action id.
 */
function wpt_pending_actions( $hook = null ) {
	$query = array(
		'status'   => ActionScheduler_Store::STATUS_PENDING,
		'per_page' => 500,
		'orderby'  => 'date',
		'order'    => 'ASC',
	);
	if ( null !== $hook ) {
		$query['hook'] = $hook;
	}
	$actions = array();
	foreach ( array( 'domain', 'closte-native' ) as $group ) {
		foreach ( as_get_scheduled_actions( $query + array( 'group' => $group ), 'ids' ) as $id ) {
			$actions[ (int) $id ] = ActionScheduler::store()->fetch_action( $id );
		}
	}
	ksort( $actions );
	return $actions;
}

/**
 * Runs the pending domain jobs with Action Scheduler's own runner, whatever
 * their time, round after round while jobs add jobs. $max_rounds 1 runs
 * only what is pending now.
 *
 * @return string[] The hooks that ran, in order.
 */
function wpt_run_jobs( $max_rounds = 10 ) {
	$ran = array();
	for ( $round = 0; $round < $max_rounds; $round++ ) {
		$actions = wpt_pending_actions();
		if ( ! $actions ) {
			break;
		}
		foreach ( $actions as $id => $action ) {
			$ran[] = $action->get_hook();
			ActionScheduler::runner()->process_action( $id, 'closte-tests' );
		}
	}
	return $ran;
}

/**
 * This plugin's pending jobs, as their payloads.
 */
function wpt_plugin_jobs() {
	return array_values(
		array_map(
			function ( $action ) {
				$args = $action->get_args();
				return $args[0];
			},
			wpt_pending_actions( 'closte_native_domain_job' )
		)
	);
}

/**
 * Domain records of Ultimate Multisite for a name, however many.
 *
 * @return WP_Ultimo\Models\Domain[]
 */
function wpt_records_for( $domain ) {
	return wu_get_domains( array( 'domain' => $domain, 'number' => 100 ) );
}

/**
 * A domain record written straight into Ultimate Multisite's table, with
 * no event fired: for names its model refuses (a wildcard, an invalid name)
 * and for tests that fire the event themselves. Returns the row's id.
 */
function wpt_raw_record( $domain, $site_id = 1 ) {
	global $wpdb;
	$now = current_time( 'mysql', true );
	$ok  = $wpdb->insert(
		$wpdb->base_prefix . 'wu_domain_mappings',
		array(
			'blog_id'        => $site_id,
			'domain'         => $domain,
			'active'         => 1,
			'primary_domain' => 0,
			'secure'         => 0,
			'stage'          => 'done',
			'date_created'   => $now,
			'date_modified'  => $now,
		)
	);
	if ( ! $ok ) {
		closte_fail( "raw record for $domain: " . $wpdb->last_error );
	}
	return (int) $wpdb->insert_id;
}

/**
 * Removes a row written by wpt_raw_record(), with no event fired.
 */
function wpt_drop_raw_record( $domain ) {
	global $wpdb;
	$wpdb->delete( $wpdb->base_prefix . 'wu_domain_mappings', array( 'domain' => $domain ) );
}

/**
 * Renames a domain record the way the admin's edit screen does.
 */
function wpt_rename_domain( $record, $new_name ) {
	$record->set_domain( $new_name );
	$saved = $record->save();
	if ( is_wp_error( $saved ) || ! $saved ) {
		closte_fail( 'rename failed: ' . ( is_wp_error( $saved ) ? $saved->get_error_message() : 'save() returned false' ) );
	}
}

/**
 * Deletes a domain record the way the admin's list does.
 */
function wpt_delete_domain( $record ) {
	$deleted = $record->delete();
	if ( is_wp_error( $deleted ) || ! $deleted ) {
		closte_fail( 'delete failed' );
	}
}

/**
 * WP-Cron events of a hook on this site: [ [timestamp, args], ... ].
 */
function wpt_cron_events( $hook ) {
	$found = array();
	foreach ( (array) _get_cron_array() as $timestamp => $hooks ) {
		foreach ( isset( $hooks[ $hook ] ) ? $hooks[ $hook ] : array() as $event ) {
			$found[] = array( $timestamp, $event['args'] );
		}
	}
	return $found;
}

/**
 * Runs (and unschedules) every WP-Cron event of a hook, whatever its time.
 */
function wpt_run_cron( $hook ) {
	$events = wpt_cron_events( $hook );
	foreach ( $events as $event ) {
		wp_unschedule_event( $event[0], $hook, $event[1] );
		do_action_ref_array( $hook, $event[1] );
	}
	return count( $events );
}
