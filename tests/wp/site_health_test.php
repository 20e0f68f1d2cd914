<?php
/**
 * Site Health: closte-native's six tests (called as WordPress calls them:
 * the direct ones' callbacks, the asynchronous ones' direct callbacks and
 * their REST endpoints) and its "Closte" section of the Info tab, in the
 * good and the failing cases, on the real Ultimate Multisite and the
 * simulator. No piece of the key appears in any of it, and the endpoints
 * refuse a user without view_site_health_checks.
 */

require __DIR__ . '/lib/bootstrap.php';
define( 'WP_ADMIN', true );
require __DIR__ . '/lib/load-wordpress.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-site-health.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-debug-data.php';

// Everything the tests and the Info section returned, for the key check at the end.
$GLOBALS['wpt_health_seen'] = array();

function wpt_health_keep( $what, $value ) {
	$GLOBALS['wpt_health_seen'][] = array( $what, serialize( $value ) . "\n" . wp_json_encode( $value ) );
	return $value;
}

function wpt_health_tests() {
	wp_set_current_user( 1 );
	return WP_Site_Health::get_tests();
}

/**
 * Runs one test as WordPress does: the direct test's callback, or the
 * asynchronous test's async_direct_test (what the weekly cron calls).
 */
function wpt_health_run( $id ) {
	$tests = wpt_health_tests();
	if ( isset( $tests['direct'][ $id ] ) ) {
		$result = call_user_func( $tests['direct'][ $id ]['test'] );
	} elseif ( isset( $tests['async'][ $id ] ) ) {
		$result = call_user_func( $tests['async'][ $id ]['async_direct_test'] );
	} else {
		closte_fail( "no Site Health test $id" );
	}
	wpt_health_check_shape( $result, $id );
	return wpt_health_keep( $id, $result );
}

/**
 * One of the REST endpoints as a given user: [status, data].
 */
function wpt_health_rest( $route, $user_id ) {
	wp_set_current_user( $user_id );
	$response = rest_do_request( new WP_REST_Request( 'GET', '/closte-native/v1/site-health/' . $route ) );
	wp_set_current_user( 1 );
	$data = $response->get_data();
	wpt_health_keep( "REST $route", $data );
	return array( $response->get_status(), $data );
}

function wpt_health_check_shape( $result, $id ) {
	assert_true( is_array( $result ), "$id returns an array" );
	foreach ( array( 'test', 'label', 'status', 'badge', 'description', 'actions' ) as $key ) {
		assert_true( array_key_exists( $key, $result ), "$id has '$key'" );
	}
	assert_same( $id, $result['test'], "$id: test" );
	assert_true( in_array( $result['status'], array( 'good', 'recommended', 'critical' ), true ), "$id: status " . $result['status'] );
	assert_same( 'Closte', $result['badge']['label'], "$id: badge label" );
	assert_true( is_string( $result['badge']['color'] ) && '' !== $result['badge']['color'], "$id: badge color" );
	assert_true( is_string( $result['label'] ) && '' !== $result['label'], "$id: label" );
	assert_contains( 'href="' . esc_url( network_admin_url( 'admin.php?page=closte-native' ) ) . '"', $result['actions'], "$id: link to the Closte page" );
}

function wpt_health_text( array $result ) {
	return trim( preg_replace( '/\s+/', ' ', html_entity_decode( wp_strip_all_tags( str_replace( '<', ' <', $result['description'] ) ) ) ) );
}

function wpt_health_forget_key_test() {
	delete_site_transient( Closte_Native_Site_Health::KEY_TRANSIENT );
}

function wpt_health_set_state( $state ) {
	$property = new ReflectionProperty( 'Closte_Native_Plugin', 'state' );
	$property->setAccessible( true );
	$property->setValue( Closte_Native_Plugin::instance(), $state );
}

/**
 * Domain records created here fire jobs; they are cancelled, so that only
 * the tests' own calls reach the simulator (and no later test file runs them).
 */
function wpt_health_cancel_jobs() {
	foreach ( array( 'wu_add_domain', 'wu_remove_domain', 'wu_async_process_domain_stage', 'closte_native_domain_job' ) as $hook ) {
		as_unschedule_all_actions( $hook );
	}
}

/**
 * Makes Closte hold exactly the aliases of Ultimate Multisite's records.
 */
function wpt_health_sync_all() {
	wpt_sim_reset();
	$names = array();
	foreach ( Closte_Native_Um_State::mapped_domains() as $name ) {
		try {
			$names[] = closte_validate_domain( $name );
		} catch ( Closte\InvalidDomainException $e ) {
			closte_fail( "a domain record the extension refuses: $name" );
		}
	}
	if ( $names ) {
		$sync = closte_sync_domains( $names );
		assert_same( array(), $sync['failed'], 'sync failures' );
	}
	return $names;
}

closte_test( 'the six tests are registered, two of them asynchronous through REST', function () {
	$tests = wpt_health_tests();
	foreach ( array( 'closte_native_extension', 'closte_native_key', 'closte_native_ssl_failed', 'closte_native_certificates' ) as $id ) {
		assert_true( isset( $tests['direct'][ $id ] ) && is_callable( $tests['direct'][ $id ]['test'] ), "direct test $id" );
	}
	$routes = array(
		'closte_native_key_accepted' => '/closte-native/v1/site-health/key-accepted',
		'closte_native_drift'        => '/closte-native/v1/site-health/domain-drift',
	);
	foreach ( $routes as $id => $route ) {
		assert_true( isset( $tests['async'][ $id ] ), "async test $id" );
		assert_true( $tests['async'][ $id ]['has_rest'], "$id has_rest" );
		assert_same( rest_url( ltrim( $route, '/' ) ), $tests['async'][ $id ]['test'], "$id endpoint" );
		assert_true( is_callable( $tests['async'][ $id ]['async_direct_test'] ), "$id async_direct_test" );
		assert_true( isset( rest_get_server()->get_routes()[ $route ] ), "route $route registered" );
	}
	assert_true( isset( $tests['direct']['php_version'] ), "WordPress's own tests are kept" );
} );

closte_test( 'extension: good with the loaded version, which is at least the minimum', function () {
	$result = wpt_health_run( 'closte_native_extension' );
	assert_same( 'good', $result['status'], 'status' );
	$version = preg_replace( '/\+.*$/', '', closte_version() );
	assert_true( version_compare( $version, Closte_Native_Site_Health::MIN_EXTENSION_VERSION, '>=' ), "$version >= minimum" );
	assert_same( "The closte PHP extension is loaded (version $version)", $result['label'], 'label' );
	assert_contains( closte_version(), wpt_health_text( $result ), 'description' );
	$base = new ReflectionMethod( 'Closte_Native_Site_Health', 'base_version' );
	$base->setAccessible( true );
	assert_same( '0.2.0', $base->invoke( null, '0.2.0+abcdef1234' ), 'version with a build suffix' );
	assert_same( '0.1.9', $base->invoke( null, '0.1.9' ), 'plain version' );
	assert_same( null, $base->invoke( null, 'dev build' ), 'not a version' );
} );

closte_test( 'key: good, from the constant, shown by its last 4 characters only', function () {
	$result = wpt_health_run( 'closte_native_key' );
	assert_same( 'good', $result['status'], 'status' );
	$key = wpt_env( 'CLOSTE_TEST_KEY' );
	assert_same( 'The key, ending in …' . substr( $key, -4 ) . ', is from the CLOSTE_CLIENT_API_KEY constant in wp-config.php.', wpt_health_text( $result ), 'description' );
} );

closte_test( 'key accepted: good, then answered from the 10-minute cache without a second request', function () {
	wpt_sim_reset();
	wpt_health_forget_key_test();
	$result = wpt_health_run( 'closte_native_key_accepted' );
	assert_same( 'good', $result['status'], 'status' );
	assert_same( 'Closte accepts the API key', $result['label'], 'label' );
	assert_contains( 'Asked ' . wpt_env( 'CLOSTE_SIM_URL' ) . '/api/client ', wpt_health_text( $result ), 'where it asked' );
	assert_contains( 'the answer is kept for 10 minutes.', wpt_health_text( $result ), 'how long it is kept' );
	assert_same( 1, count( wpt_sim_requests() ), 'requests after the first run' );
	$cached = get_site_transient( Closte_Native_Site_Health::KEY_TRANSIENT );
	assert_true( is_array( $cached ) && true === $cached['ok'], 'cached answer' );
	wpt_health_keep( 'transient', $cached );
	global $wpdb;
	$timeout = (int) $wpdb->get_var( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->sitemeta} WHERE meta_key = %s", '_site_transient_timeout_' . Closte_Native_Site_Health::KEY_TRANSIENT ) );
	assert_true( abs( $timeout - ( time() + 600 ) ) <= 5, 'kept for 10 minutes, expires at ' . $timeout );
	$again = wpt_health_run( 'closte_native_key_accepted' );
	assert_same( 'good', $again['status'], 'status, cached' );
	list( $status, $data ) = wpt_health_rest( 'key-accepted', 1 );
	assert_same( 200, $status, 'REST status' );
	assert_same( 'good', $data['status'], 'REST result' );
	assert_same( 1, count( wpt_sim_requests() ), 'requests after three runs' );
} );

closte_test( 'key accepted: critical when Closte refuses the key, and when it cannot be reached', function () {
	wpt_sim_reset();
	wpt_health_forget_key_test();
	wpt_sim_fault( array( 'kind' => 'status', 'status' => 200, 'body' => '{"success":false,"error":"Invalid API key"}' ) );
	try {
		$result = wpt_health_run( 'closte_native_key_accepted' );
	} finally {
		wpt_sim_clear_fault();
	}
	assert_same( 'critical', $result['status'], 'status when refused' );
	assert_same( 'Closte refuses the API key', $result['label'], 'label when refused' );
	// Still the cached answer: Closte is fine again, but the page says what it last heard.
	assert_same( 'critical', wpt_health_run( 'closte_native_key_accepted' )['status'], 'cached refusal' );
	wpt_health_forget_key_test();
	assert_same( 'good', wpt_health_run( 'closte_native_key_accepted' )['status'], 'after the cache is cleared' );

	// Another API URL is another question: the cached answer does not stand for it.
	$dead    = wpt_dead_api_url();
	$options = function ( $options ) use ( $dead ) {
		return array(
			'api_url' => $dead,
			'retries' => 0,
		) + $options;
	};
	add_filter( 'closte_native_request_options', $options );
	try {
		$down = wpt_health_run( 'closte_native_key_accepted' );
	} finally {
		remove_filter( 'closte_native_request_options', $options );
	}
	assert_same( 'critical', $down['status'], 'status when unreachable' );
	assert_same( 'Closte could not be reached', $down['label'], 'label when unreachable' );
	assert_contains( "Asked $dead ", wpt_health_text( $down ), 'the URL of the call, not the ini entry' );
	wpt_health_forget_key_test();
} );

closte_test( 'the REST endpoints refuse a user without view_site_health_checks, and call nobody', function () {
	$user = username_exists( 'wpt-health-siteadmin' );
	if ( ! $user ) {
		$user = wp_create_user( 'wpt-health-siteadmin', 'wpt-health-password', 'wpt-health@example.test' );
		assert_true( is_int( $user ), 'user created' );
	}
	( new WP_User( $user ) )->set_role( 'administrator' );
	assert_false( user_can( $user, 'view_site_health_checks' ), "a site's administrator has view_site_health_checks" );
	assert_true( user_can( 1, 'view_site_health_checks' ), 'the network admin has view_site_health_checks' );
	wpt_sim_reset();
	wpt_health_forget_key_test();
	foreach ( array( 'key-accepted', 'domain-drift' ) as $route ) {
		list( $status, $data ) = wpt_health_rest( $route, $user );
		assert_same( 403, $status, "$route as a site administrator" );
		assert_same( 'rest_forbidden', $data['code'], "$route error code" );
		list( $status ) = wpt_health_rest( $route, 0 );
		assert_same( 401, $status, "$route logged out" );
	}
	assert_same( array(), wpt_sim_requests(), 'requests to Closte' );
	assert_false( get_site_transient( Closte_Native_Site_Health::KEY_TRANSIENT ), 'nothing cached' );
} );

closte_test( 'drift: good when Closte has every alias; the network domain on Closte is no drift', function () {
	wpt_health_sync_all();
	closte_add_domain( wpt_env( 'CLOSTE_WP_DOMAIN' ) );
	$result = wpt_health_run( 'closte_native_drift' );
	assert_same( 'good', $result['status'], 'status: ' . wpt_health_text( $result ) );
	assert_same( "Ultimate Multisite's domain records and Closte's aliases agree", $result['label'], 'label' );
	list( $status, $data ) = wpt_health_rest( 'domain-drift', 1 );
	assert_same( 200, $status, 'REST status' );
	assert_same( 'good', $data['status'], 'REST result' );
	assert_same( array( 'getdomains', 'getdomains' ), array_values( array_slice( array_column( wpt_sim_requests(), 'endpoint' ), -2 ) ), 'one getdomains per run' );
} );

closte_test( 'drift: critical with a record missing on Closte and an extra alias, both named; recommended with extras only', function () {
	wpt_health_sync_all();
	$missing = wpt_domain( 'health-missing' );
	$extra   = wpt_domain( 'health-extra' );
	$record  = wu_create_domain(
		array(
			'domain'  => $missing,
			'blog_id' => 1,
		)
	);
	assert_true( $record instanceof WP_Ultimo\Models\Domain, 'record created' );
	wpt_health_cancel_jobs();
	closte_add_domain( $extra );
	try {
		$result = wpt_health_run( 'closte_native_drift' );
		assert_same( 'critical', $result['status'], 'status' );
		assert_same( 'Ultimate Multisite and Closte disagree: 1 missing on Closte, 1 extra on Closte', $result['label'], 'label' );
		$text = wpt_health_text( $result );
		assert_contains( "1 domain record has no alias on Closte: Closte does not serve that domain. $missing", $text, 'missing named' );
		assert_contains( "1 alias on Closte has no domain record in Ultimate Multisite. $extra", $text, 'extra named' );
		list( , $data ) = wpt_health_rest( 'domain-drift', 1 );
		assert_same( 'critical', $data['status'], 'REST result' );
	} finally {
		wpt_delete_domain( $record );
		wpt_health_cancel_jobs();
	}

	$more = array();
	for ( $i = 1; $i <= 12; $i++ ) {
		$more[] = wpt_domain( sprintf( 'health-extra-%02d', $i ) );
	}
	closte_sync_domains( $more );
	$result = wpt_health_run( 'closte_native_drift' );
	assert_same( 'recommended', $result['status'], 'status with extras only' );
	assert_same( 'Ultimate Multisite and Closte disagree: 0 missing on Closte, 13 extra on Closte', $result['label'], 'label with extras only' );
	$all = array_merge( array( $extra ), $more );
	sort( $all );
	assert_same( 10, substr_count( $result['description'], '<li>' ), 'names listed' );
	foreach ( array_slice( $all, 0, 10 ) as $name ) {
		assert_contains( '<li>' . $name . '</li>', $result['description'], 'listed' );
	}
	assert_not_contains( '<li>' . $all[10] . '</li>', $result['description'], 'the 11th name' );
	assert_contains( '…and 3 more.', wpt_health_text( $result ), 'the rest counted' );
	wpt_sim_reset();
} );

closte_test( 'drift: recommended, with the error, when Closte cannot list its aliases', function () {
	wpt_sim_reset();
	wpt_sim_fault( array( 'kind' => 'status', 'status' => 403 ) );
	try {
		$result = wpt_health_run( 'closte_native_drift' );
	} finally {
		wpt_sim_clear_fault();
	}
	assert_same( 'recommended', $result['status'], 'status' );
	assert_same( 'Domain records and Closte aliases could not be compared', $result['label'], 'label' );
	assert_contains( 'Closte\\ApiException', wpt_health_text( $result ), 'the error' );
} );

closte_test( 'a state other than active: the tests that call Closte say so and send nothing', function () {
	wpt_sim_reset();
	wpt_health_forget_key_test();
	wpt_health_set_state( 'no-key' );
	try {
		foreach ( array( 'closte_native_key_accepted' => 'key-accepted', 'closte_native_drift' => 'domain-drift' ) as $id => $route ) {
			$result = wpt_health_run( $id );
			assert_same( 'recommended', $result['status'], "$id status" );
			assert_contains( 'closte-native is not active (state: no-key): no Closte API key is configured.', wpt_health_text( $result ), "$id description" );
			list( $status, $data ) = wpt_health_rest( $route, 1 );
			assert_same( 200, $status, "$route status" );
			assert_same( $result['description'], $data['description'], "$route result" );
		}
	} finally {
		wpt_health_set_state( 'active' );
	}
	assert_same( array(), wpt_sim_requests(), 'requests to Closte' );
} );

closte_test( 'ssl-failed: good with none, recommended naming the stuck domain', function () {
	assert_same( array(), wu_get_domains( array( 'stage' => 'ssl-failed', 'number' => 100 ) ), 'ssl-failed records before' );
	$result = wpt_health_run( 'closte_native_ssl_failed' );
	assert_same( 'good', $result['status'], 'status with none' );
	$domain = wpt_domain( 'health-ssl-failed' );
	$record = wu_create_domain(
		array(
			'domain'  => $domain,
			'blog_id' => 1,
			'stage'   => 'ssl-failed',
		)
	);
	wpt_health_cancel_jobs();
	try {
		assert_true( $record instanceof WP_Ultimo\Models\Domain, 'record created' );
		$result = wpt_health_run( 'closte_native_ssl_failed' );
		assert_same( 'recommended', $result['status'], 'status' );
		assert_same( '1 domain has no SSL certificate', $result['label'], 'label' );
		assert_contains( '<li>' . $domain . '</li>', $result['description'], 'the domain is named' );
	} finally {
		wpt_delete_domain( $record );
		wpt_health_cancel_jobs();
	}
} );

closte_test( 'certificates: what the certificate watch last found', function () {
	$health = Closte_Native_Plugin::instance()->site_health;
	$result = wpt_health_run( 'closte_native_certificates' );
	if ( ! class_exists( 'Closte_Native_Cert_Watch' ) ) {
		assert_same( 'recommended', $result['status'], 'status without a certificate watch' );
		assert_same( 'No certificate check has run yet', $result['label'], 'label without a certificate watch' );
	}
	$now   = 1800000000;
	$check = function ( $results ) use ( $health, $now ) {
		$result = $health->certificates_result( $results, $now );
		wpt_health_check_shape( $result, 'closte_native_certificates' );
		return wpt_health_keep( 'certificates', $result );
	};
	assert_same( 'recommended', $check( null )['status'], 'no watch' );
	assert_same( 'No certificate check has run yet', $check( array() )['label'], 'no result yet' );
	$valid = array(
		'valid'      => true,
		'error_code' => null,
		'error'      => null,
		'not_after'  => $now + 60 * DAY_IN_SECONDS,
	);
	$good  = $check(
		array(
			'a.example' => $valid,
			'b.example' => array( 'not_after' => null ) + $valid,
		)
	);
	assert_same( 'good', $good['status'], 'all valid' );
	assert_contains( 'All 2 certificates checked last are valid for at least 14 more days.', wpt_health_text( $good ), 'all valid text' );
	$soon = $check(
		array(
			'a.example'    => $valid,
			'soon.example' => array( 'not_after' => $now + 3 * DAY_IN_SECONDS + 3600 ) + $valid,
		)
	);
	assert_same( 'recommended', $soon['status'], 'expiring' );
	assert_same( '1 certificate expires soon', $soon['label'], 'expiring label' );
	assert_contains( 'soon.example: expires in 3 days (2027-01-18 09:00 UTC)', wpt_health_text( $soon ), 'expiring named' );
	$bad = $check(
		array(
			'soon.example'  => array( 'not_after' => $now + DAY_IN_SECONDS ) + $valid,
			'wrong.example' => array(
				'valid'      => false,
				'error_code' => 'name_mismatch',
				'error'      => 'name mismatch: the certificate is for other.example',
				'not_after'  => $now + 30 * DAY_IN_SECONDS,
			),
			'gone.example'  => array(
				'valid'      => false,
				'error_code' => 'refused',
				'error'      => null,
				'not_after'  => null,
			),
		)
	);
	assert_same( 'critical', $bad['status'], 'invalid' );
	assert_same( '2 mapped domains have an invalid certificate', $bad['label'], 'invalid label' );
	$text = wpt_health_text( $bad );
	assert_contains( 'wrong.example: name mismatch: the certificate is for other.example', $text, 'error text' );
	assert_contains( 'gone.example: refused', $text, 'error code when there is no text' );
	assert_contains( 'soon.example: expires in 1 day', $text, 'expiring listed too' );
} );

closte_test( 'Info tab: a Closte section with the settings, the key only as its private last 4 characters', function () {
	wp_set_current_user( 1 );
	$info = wpt_health_keep( 'debug_information', apply_filters( 'debug_information', array() ) );
	assert_true( isset( $info['closte-native'] ), 'section' );
	$section = $info['closte-native'];
	assert_same( 'Closte', $section['label'], 'section label' );
	$fields = $section['fields'];
	$value  = function ( $name ) use ( $fields ) {
		assert_true( isset( $fields[ $name ] ), "field $name" );
		return $fields[ $name ]['value'];
	};
	assert_same( closte_version(), $value( 'extension_version' ), 'extension version' );
	assert_same( CLOSTE_NATIVE_VERSION, $value( 'plugin_version' ), 'plugin version' );
	assert_same( 'active', $fields['state']['debug'], 'state' );
	assert_same( 'Yes', $value( 'integration' ), 'integration' );
	assert_same( 'constant', $fields['key_source']['debug'], 'key source' );
	$key = wpt_env( 'CLOSTE_TEST_KEY' );
	assert_same( '…' . substr( $key, -4 ), $value( 'key_hint' ), 'key hint' );
	assert_true( $fields['key_hint']['private'], 'key hint private' );
	assert_same( wpt_env( 'CLOSTE_SIM_URL' ) . '/api/client', $value( 'api_url' ), 'API URL' );
	assert_same( '5', $value( 'timeout' ), 'closte.timeout' );
	assert_same( '2', $value( 'connect_timeout' ), 'closte.connect_timeout' );
	assert_same( ini_get( 'closte.retries' ), $value( 'retries' ), 'closte.retries' );
	assert_same( 'Direct (no proxy)', $value( 'proxy' ), 'proxy route' );
	assert_same( wu_get_version(), $value( 'um_version' ), 'Ultimate Multisite version' );
	foreach ( array( 'info', 'debug' ) as $type ) {
		$copied = wpt_health_keep( "copied ($type)", WP_Debug_Data::format( $info, $type ) );
		assert_not_contains( '…' . substr( $key, -4 ), $copied, "the text copied for support ($type)" );
		assert_contains( 'info' === $type ? "### Closte ###\n" : "### closte-native ###\n", $copied, "the section is in the copied text ($type)" );
		assert_contains( 'info' === $type ? 'Extension version: ' . closte_version() : 'extension_version: ' . closte_version(), $copied, "the version in the copied text ($type)" );
	}
	// The whole Info tab, as site-health.php?tab=debug builds it.
	$all = wpt_health_keep( 'debug_data', WP_Debug_Data::debug_data() );
	assert_true( isset( $all['closte-native']['fields']['extension_version'] ), 'section in the whole Info tab' );
} );

closte_test( 'no 8-character piece of the key in any result, REST answer, cached test or Info text', function () {
	$key = wpt_env( 'CLOSTE_TEST_KEY' );
	assert_true( count( $GLOBALS['wpt_health_seen'] ) > 20, 'outputs collected: ' . count( $GLOBALS['wpt_health_seen'] ) );
	foreach ( $GLOBALS['wpt_health_seen'] as $seen ) {
		list( $what, $text ) = $seen;
		for ( $i = 0; $i + 8 <= strlen( $key ); $i++ ) {
			assert_not_contains( substr( $key, $i, 8 ), $text, $what );
		}
	}
} );

closte_test_run();
