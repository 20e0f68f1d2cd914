<?php
/**
 * Without the closte extension (run.sh runs this file without it): no fatal
 * error, the built-in integration untouched, a dismissible network-admin
 * notice, and the plugin's pending retries kept for when it is back.
 *
 * @closte-run without-extension
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/load-wordpress.php';

final class WPT_Stopped extends Exception {
}

/**
 * Runs the dismissal handler as network/edit.php would; returns how it ended.
 */
function wpt_dismiss_with_nonce( $nonce ) {
	$_GET['_wpnonce']     = $nonce;
	$_REQUEST['_wpnonce'] = $nonce;
	$stop                 = function ( $what ) {
		return function ( $arg ) use ( $what ) {
			throw new WPT_Stopped( $what );
		};
	};
	add_filter( 'wp_redirect', $stop( 'redirect' ) );
	add_filter( 'wp_die_handler', function () use ( $stop ) {
		return $stop( 'die' );
	} );
	try {
		do_action( 'network_admin_edit_' . Closte_Native_Notice::ACTION );
		return 'returned';
	} catch ( WPT_Stopped $e ) {
		return $e->getMessage();
	} finally {
		remove_all_filters( 'wp_redirect' );
		remove_all_filters( 'wp_die_handler' );
	}
}

function wpt_render_notice_as( $user_id ) {
	wp_set_current_user( $user_id );
	ob_start();
	do_action( 'network_admin_notices' );
	return ob_get_clean();
}

closte_test( 'no fatal error: WordPress and the plugin loaded without the extension', function () {
	assert_false( extension_loaded( 'closte' ), 'extension loaded' );
	assert_same( 'no-extension', Closte_Native_Plugin::instance()->state(), 'plugin state' );
} );

closte_test( 'the built-in Closte integration is left as it is and runs', function () {
	wpt_sim_reset();
	$registry = WP_Ultimo\Integrations\Integration_Registry::get_instance();
	assert_same( 'WP_Ultimo\Integrations\Providers\Closte\Closte_Integration', get_class( $registry->get( 'closte' ) ), 'integration' );
	$builtin = $registry->get_capability( 'closte', 'domain-mapping' );
	assert_same( 'WP_Ultimo\Integrations\Providers\Closte\Closte_Domain_Mapping', get_class( $builtin ), 'capability' );
	assert_same( 10, has_action( 'wu_add_domain', array( $builtin, 'on_add_domain' ) ), 'built-in on wu_add_domain' );
	$record = wu_create_domain( array( 'domain' => wpt_domain( 'noext' ), 'blog_id' => 1 ) );
	wpt_run_jobs();
	wpt_delete_domain( $record );
	wpt_run_jobs();
	assert_same( array( 'adddomainalias', 'deletedomainalias' ), array_column( wpt_builtin_calls( false ), 'endpoint' ), 'built-in calls' );
	assert_same( array(), wpt_sim_requests(), 'requests from closte-native' );
} );

closte_test( 'a retry that comes due without the extension is kept for later, not dropped', function () {
	$mark    = wpt_log_mark();
	$domain  = wpt_domain( 'kept' );
	$queue   = Closte_Native_Plugin::instance()->queue;
	$payload = array( 'operation' => 'add', 'domain' => $domain, 'site_id' => 1, 'attempt' => 3 );
	assert_true( $queue->schedule( 'add', $domain, 1, 3, 0 ), 'retry scheduled' );
	$before = time();
	wpt_run_jobs( 1 );
	assert_same( array( $payload ), wpt_plugin_jobs(), 'the same job, pending again' );
	$next = as_next_scheduled_action( Closte_Native_Queue::HOOK, array( $payload ), Closte_Native_Queue::GROUP );
	assert_true( is_int( $next ) && $next >= $before + Closte_Native_Plugin::KEPT_JOB_DELAY, 'due in an hour or more' );
	$warnings = wpt_log_lines( $mark, 'WARNING' );
	assert_same( 1, count( $warnings ), 'warning lines' );
	assert_contains( "Kept the retry to add Closte alias $domain (site 1) for later: the closte PHP extension is not loaded in this PHP", $warnings[0], 'warning' );
	as_unschedule_all_actions( Closte_Native_Queue::HOOK, array( $payload ), Closte_Native_Queue::GROUP );
	assert_same( array(), wpt_plugin_jobs(), 'cleaned up' );
} );

closte_test( 'a network admin sees how to install the extension', function () {
	assert_same( 10, has_action( 'network_admin_notices', array( Closte_Native_Plugin::instance()->notice, 'render' ) ), 'notice hooked' );
	$html = wpt_render_notice_as( 1 );
	assert_contains( 'closte PHP extension is not loaded', $html, 'notice' );
	assert_contains( '<code>extension=closte.so</code>', $html, 'notice' );
	assert_contains( 'action=closte_native_dismiss_notice', $html, 'dismiss link' );
	assert_contains( '_wpnonce=', $html, 'dismiss nonce' );
} );

closte_test( 'users without manage_network_options see nothing', function () {
	$user = wp_insert_user( array( 'user_login' => 'plain-' . wpt_net(), 'user_pass' => wp_generate_password(), 'user_email' => 'plain-' . wpt_net() . '@example.test' ) );
	assert_true( is_int( $user ), 'user created' );
	assert_same( '', wpt_render_notice_as( $user ), 'notice for a plain user' );
} );

closte_test( 'dismissal without a valid nonce is refused', function () {
	wp_set_current_user( 1 );
	assert_same( 'die', wpt_dismiss_with_nonce( 'not-a-nonce' ), 'outcome' );
	assert_same( '', get_user_meta( 1, Closte_Native_Notice::META, true ), 'stored dismissal' );
	assert_contains( 'extension=closte.so', wpt_render_notice_as( 1 ), 'notice still shown' );
} );

closte_test( 'dismissal with the nonce is stored for that user only', function () {
	$other = wp_insert_user( array( 'user_login' => 'admin2-' . wpt_net(), 'user_pass' => wp_generate_password(), 'user_email' => 'admin2-' . wpt_net() . '@example.test' ) );
	grant_super_admin( $other );
	wp_set_current_user( 1 );
	assert_same( 'redirect', wpt_dismiss_with_nonce( wp_create_nonce( Closte_Native_Notice::ACTION ) ), 'outcome' );
	assert_same( 'no-extension', get_user_meta( 1, Closte_Native_Notice::META, true ), 'stored dismissal' );
	assert_same( '', wpt_render_notice_as( 1 ), 'notice for the admin who dismissed it' );
	assert_contains( 'extension=closte.so', wpt_render_notice_as( $other ), 'notice for another network admin' );
} );

closte_test_run();
