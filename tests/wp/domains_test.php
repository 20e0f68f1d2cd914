<?php
/**
 * Map, unmap, rename, string site ids, subdomains, the certificate-check
 * retry count, and the answers Closte gives, on the real Ultimate
 * Multisite: its domain manager fires the events, its Action Scheduler runs
 * them, and closte-native has taken over its Closte integration.
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/load-wordpress.php';

closte_test( "the native path is active and took over Ultimate Multisite's Closte integration", function () {
	$plugin = Closte_Native_Plugin::instance();
	assert_same( 'active', $plugin->state(), 'plugin state' );
	$registry = WP_Ultimo\Integrations\Integration_Registry::get_instance();
	assert_same( 'Closte_Native_Um_Integration', get_class( $registry->get( 'closte' ) ), 'integration' );
	assert_same( 'Closte_Native_Um_Domain_Mapping', get_class( $registry->get_capability( 'closte', 'domain-mapping' ) ), 'capability' );
	assert_same( 10, has_action( 'wu_add_domain', array( $plugin->handler, 'on_add_domain' ) ), 'native handler priority' );
	foreach ( array( 'wu_add_domain', 'wu_remove_domain', 'wu_add_subdomain', 'wu_remove_subdomain', 'wu_async_process_domain_stage_max_tries' ) as $hook ) {
		foreach ( $GLOBALS['wp_filter'][ $hook ]->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				$owner = is_array( $callback['function'] ) && is_object( $callback['function'][0] ) ? get_class( $callback['function'][0] ) : 'other';
				assert_same( 'Closte_Native_Domain_Handler', $owner, "the only callback on $hook" );
			}
		}
	}
} );

closte_test( 'map: the alias is added with exactly one request', function () {
	wpt_sim_reset();
	$mark   = wpt_log_mark();
	$domain = wpt_domain( 'map' );
	$record = wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
	assert_true( $record instanceof WP_Ultimo\Models\Domain, 'record created' );
	wpt_run_jobs();
	assert_same( array( $domain ), wpt_sim_aliases(), 'aliases' );
	$requests = wpt_sim_requests();
	assert_same( array( 'add' ), wpt_request_kinds( $requests ), 'requests' );
	assert_same( $domain, $requests[0]['fields']['domain'], 'domain field' );
	assert_same( '0', (string) $requests[0]['fields']['wildcard'], 'wildcard field' );
	assert_true( $requests[0]['key_ok'], 'key accepted' );
	assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
	assert_contains( "Added Closte domain alias $domain (site 1): HTTP 200", wpt_log_since( $mark ), 'log' );
} );

closte_test( 'unmap: the alias is removed', function () {
	wpt_sim_reset();
	$domain = wpt_domain( 'unmap' );
	$record = wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
	wpt_run_jobs();
	assert_same( array( $domain ), wpt_sim_aliases(), 'aliases after map' );
	$mark = wpt_log_mark();
	wpt_delete_domain( $record );
	wpt_run_jobs();
	assert_same( array(), wpt_sim_aliases(), 'aliases after unmap' );
	assert_same( array( 'add', 'delete' ), wpt_request_kinds( wpt_sim_requests() ), 'requests' );
	assert_contains( "Removed Closte domain alias $domain", wpt_log_since( $mark ), 'log' );
	assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
} );

closte_test( 'rename: the old alias is removed, the new one added', function () {
	wpt_sim_reset();
	$old    = wpt_domain( 'rename-old' );
	$new    = wpt_domain( 'rename-new' );
	$record = wu_create_domain( array( 'domain' => $old, 'blog_id' => 1 ) );
	wpt_run_jobs();
	wpt_rename_domain( $record, $new );
	wpt_run_jobs();
	assert_same( array( $new ), wpt_sim_aliases(), 'aliases' );
	assert_same( array( 'add' ), wpt_request_kinds( wpt_sim_requests( $new ) ), 'requests for the new name' );
	assert_same( array( 'add', 'delete' ), wpt_request_kinds( wpt_sim_requests( $old ) ), 'requests for the old name' );
} );

closte_test( 'a new record (old value "new"), an empty or unchanged name: nothing removed', function () {
	wpt_sim_reset();
	$domain = wpt_domain( 'fresh' );
	$record = wu_create_domain( array( 'domain' => $domain, 'blog_id' => 1 ) );
	assert_same( array(), wpt_plugin_jobs(), 'removal jobs queued by the insert' );
	$handler = Closte_Native_Plugin::instance()->handler;
	$handler->on_domain_renamed( '', $domain, $record->get_id() );
	$handler->on_domain_renamed( strtoupper( $domain ), $domain, $record->get_id() );
	assert_same( array(), wpt_plugin_jobs(), 'removal jobs queued' );
	wpt_run_jobs();
	assert_same( array( 'add' ), wpt_request_kinds( wpt_sim_requests() ), 'requests' );
} );

closte_test( 'site_id arriving as a string', function () {
	wpt_sim_reset();
	$mark   = wpt_log_mark();
	$domain = wpt_domain( 'string-id' );
	wpt_raw_record( $domain );
	do_action( 'wu_add_domain', $domain, '1' );
	assert_same( array( $domain ), wpt_sim_aliases(), 'aliases' );
	assert_contains( "Added Closte domain alias $domain (site 1)", wpt_log_since( $mark ), 'log' );
	wpt_drop_raw_record( $domain );
	do_action( 'wu_remove_domain', $domain, '1' );
	assert_same( array(), wpt_sim_aliases(), 'aliases after removal' );
} );

closte_test( 'a wildcard domain is sent with wildcard=1', function () {
	wpt_sim_reset();
	// Ultimate Multisite 2.14.2's model refuses "*." names; another version, or a row of its table, may not.
	$domain = '*.' . wpt_domain( 'wild' );
	wpt_raw_record( $domain );
	do_action( 'wu_add_domain', $domain, 1 );
	wpt_drop_raw_record( $domain );
	$requests = wpt_sim_requests();
	assert_same( 1, count( $requests ), 'request count' );
	assert_same( '1', (string) $requests[0]['fields']['wildcard'], 'wildcard field' );
} );

closte_test( 'subdomain events: no Closte call, a debug line', function () {
	wpt_sim_reset();
	$mark = wpt_log_mark();
	do_action( 'wu_add_subdomain', 'blog7.' . wpt_env( 'CLOSTE_WP_DOMAIN' ), 7 );
	do_action( 'wu_remove_subdomain', 'blog7.' . wpt_env( 'CLOSTE_WP_DOMAIN' ), '7' );
	assert_same( array(), wpt_sim_requests(), 'requests' );
	assert_same( 2, count( wpt_log_lines( $mark, 'DEBUG' ) ), 'debug lines' );
	assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
} );

closte_test( 'certificate checks get 20 tries, other stages keep theirs', function () {
	$ssl = new WP_Ultimo\Models\Domain( array( 'id' => 1, 'domain' => 'x.example', 'blog_id' => 1, 'stage' => 'checking-ssl-cert' ) );
	$dns = new WP_Ultimo\Models\Domain( array( 'id' => 2, 'domain' => 'y.example', 'blog_id' => 1, 'stage' => 'checking-dns' ) );
	assert_same( 20, apply_filters( 'wu_async_process_domain_stage_max_tries', 5, $ssl ), 'ssl stage' );
	assert_same( 5, apply_filters( 'wu_async_process_domain_stage_max_tries', 5, $dns ), 'dns stage' );
	assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
} );

closte_test( 'a Closte-managed name: ManagedDomainException, an info line, one request, no retry', function () {
	wpt_sim_reset();
	$e = assert_throws( 'Closte\\ManagedDomainException', function () {
		closte_add_domain( 'site42.closte.com', Closte_Native_Request_Options::build( 'add', 'site42.closte.com' ) );
	}, 'the extension on a name Closte manages' );
	assert_true( $e instanceof Closte\ApiException, 'a ManagedDomainException is an ApiException' );
	wpt_sim_reset();
	$mark = wpt_log_mark();
	wpt_raw_record( 'site42.closte.com' );
	do_action( 'wu_add_domain', 'site42.closte.com', 1 );
	assert_same( 1, count( wpt_sim_requests() ), 'request count' );
	assert_same( array(), wpt_plugin_jobs(), 'jobs queued' );
	$info = wpt_log_lines( $mark, 'INFO' );
	assert_same( 1, count( $info ), 'info lines' );
	assert_contains( 'Closte manages site42.closte.com itself, no alias to add (site 1)', $info[0], 'info line' );
	assert_contains( 'Closte said: "Invalid or empty domain: site42.closte.com"', $info[0], "info line quotes Closte's words" );
	assert_same( array(), wpt_log_lines( $mark, 'ERROR' ), 'error lines' );
	assert_same( array(), wpt_log_lines( $mark, 'WARNING' ), 'warning lines' );
	wpt_sim_reset();
	$mark = wpt_log_mark();
	wpt_drop_raw_record( 'site42.closte.com' );
	do_action( 'wu_remove_domain', 'site42.closte.com', 1 );
	assert_same( 1, count( wpt_log_lines( $mark, 'INFO' ) ), 'info lines on removal' );
	assert_same( array(), wpt_plugin_jobs(), 'jobs queued on removal' );
} );

closte_test( 'the class decides, not the text: "Invalid or empty domain: " for another name is an error', function () {
	wpt_sim_reset();
	// The old plugin took any answer starting "Invalid or empty domain:" for a managed name.
	wpt_sim_fault( array( 'kind' => 'status', 'status' => 200, 'body' => '{"success":false,"error":"Invalid or empty domain: "}' ) );
	$mark   = wpt_log_mark();
	$domain = wpt_domain( 'not-managed' );
	wpt_raw_record( $domain );
	do_action( 'wu_add_domain', $domain, 1 );
	wpt_sim_clear_fault();
	assert_same( 1, count( wpt_sim_requests() ), 'request count' );
	assert_same( array(), wpt_plugin_jobs(), 'jobs queued' );
	assert_same( array(), wpt_log_lines( $mark, 'INFO' ), 'info lines' );
	$errors = wpt_log_lines( $mark, 'ERROR' );
	assert_same( 1, count( $errors ), 'error lines' );
	assert_contains( "Closte refused to add alias $domain (site 1): HTTP 200", $errors[0], 'error line' );
	assert_contains( 'Closte said: "Invalid or empty domain: "', $errors[0], "error line quotes Closte's words" );
} );

closte_test( "Closte's words are logged escaped, on one line", function () {
	wpt_sim_reset();
	wpt_sim_fault( array( 'kind' => 'status', 'status' => 200, 'body' => json_encode( array( 'success' => false, 'error' => "Quota \"exceeded\"\n[2026-01-01 00:00:00] [INFO] Added Closte domain alias forged.example" ) ) ) );
	$mark   = wpt_log_mark();
	$domain = wpt_domain( 'words' );
	wpt_raw_record( $domain );
	do_action( 'wu_add_domain', $domain, 1 );
	wpt_sim_clear_fault();
	// Every line but the lock's debug line.
	$lines = array_values( preg_grep( '/\] \[DEBUG\] Lock of /', array_filter( explode( "\n", wpt_log_since( $mark ) ), 'strlen' ), PREG_GREP_INVERT ) );
	assert_same( 1, count( $lines ), 'log lines: ' . implode( ' | ', $lines ) );
	assert_contains( '] [ERROR] Closte refused to add alias ' . $domain, $lines[0], 'error line' );
	// The extension escapes control characters (\n); the logger escapes quotes.
	assert_contains( 'Closte said: "Quota \\"exceeded\\"\\n[2026-01-01 00:00:00] [INFO] Added Closte', $lines[0], 'quoted and escaped' );
} );

closte_test( 'an invalid name: error log, nothing sent, no retry', function () {
	wpt_sim_reset();
	$mark = wpt_log_mark();
	wpt_raw_record( 'not a domain&x=1' );
	do_action( 'wu_add_domain', 'not a domain&x=1', 1 );
	wpt_drop_raw_record( 'not a domain&x=1' );
	assert_same( array(), wpt_sim_requests(), 'requests' );
	assert_same( array(), wpt_plugin_jobs(), 'jobs queued' );
	assert_same( 1, count( wpt_log_lines( $mark, 'ERROR' ) ), 'error lines' );
	assert_contains( 'not a valid domain name', wpt_log_since( $mark ), 'log' );
} );

closte_test( 'a permanent refusal (HTTP 403): error log with status, no retry', function () {
	wpt_sim_reset();
	wpt_sim_fault( array( 'kind' => 'status', 'status' => 403 ) );
	$mark   = wpt_log_mark();
	$domain = wpt_domain( 'refused' );
	wpt_raw_record( $domain );
	do_action( 'wu_add_domain', $domain, 1 );
	wpt_sim_clear_fault();
	assert_same( 1, count( wpt_sim_requests() ), 'request count (4xx is never retried)' );
	assert_same( array(), wpt_plugin_jobs(), 'jobs queued' );
	$errors = wpt_log_lines( $mark, 'ERROR' );
	assert_same( 1, count( $errors ), 'error lines' );
	assert_contains( "Closte refused to add alias $domain (site 1): HTTP 403", $errors[0], 'error line' );
} );

closte_test( 'without WP_PROXY_* the calls get no proxy option (closte.proxy applies)', function () {
	assert_false( defined( 'WP_PROXY_HOST' ), 'WP_PROXY_HOST defined' );
	$seen   = array();
	$filter = function ( $options, $operation, $domain ) use ( &$seen ) {
		$seen[] = array( $operation, $domain );
		return array_merge( $options, array( 'timeout' => 7 ) );
	};
	add_filter( 'closte_native_request_options', $filter, 10, 3 );
	$add  = Closte_Native_Request_Options::build( 'add', 'a.example' );
	$list = Closte_Native_Request_Options::build( 'list' );
	remove_filter( 'closte_native_request_options', $filter, 10 );
	assert_same( array( 'timeout' => 7 ), $add, 'options of an add' );
	assert_same( array( 'timeout' => 7 ), $list, 'options of a list' );
	assert_same( array( array( 'add', 'a.example' ), array( 'list', '' ) ), $seen, 'what the filter was given' );
	assert_same( 'direct', Closte_Native_Request_Options::proxy_status()['route'], 'route on the status page' );
	ini_set( 'closte.proxy', 'http://ini-user:ini-SECRET-pw@127.0.0.1:3128' );
	$status = Closte_Native_Request_Options::proxy_status();
	$add    = Closte_Native_Request_Options::build( 'add', 'a.example' );
	ini_restore( 'closte.proxy' );
	assert_same( array( 'route' => 'ini', 'address' => '127.0.0.1:3128', 'authenticated' => true ), $status, 'status with closte.proxy set' );
	assert_false( array_key_exists( 'proxy', $add ), 'a proxy option (closte.proxy applies by itself)' );
} );

closte_test_run();
