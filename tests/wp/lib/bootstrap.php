<?php
/**
 * Shared helpers for tests/wp/*_test.php. Include it first, define the
 * stand-in's switches if any, then include load-wordpress.php.
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
	return array_values( preg_grep( '/ - ' . $level . ' - /', explode( "\n", wpt_log_since( $mark ) ) ) );
}

function wpt_builtin_calls() {
	return isset( $GLOBALS['wu_standin_builtin_calls'] ) ? $GLOBALS['wu_standin_builtin_calls'] : array();
}

/**
 * Runs the stand-in's queued jobs (Ultimate Multisite's and Action Scheduler's).
 */
function wpt_run_jobs( $max_rounds = 10 ) {
	return wu_standin_run_jobs( $max_rounds );
}

/**
 * Jobs of this plugin's hook waiting in the stand-in's queue.
 */
function wpt_plugin_jobs() {
	return array_values(
		array_filter(
			wu_standin_jobs(),
			function ( $job ) {
				return 'closte_native_domain_job' === $job['hook'];
			}
		)
	);
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
