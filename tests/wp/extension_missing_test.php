<?php
/**
 * Without the closte extension (run.sh runs this file without it): no fatal
 * error, the built-in integration untouched, a dismissible network-admin
 * notice. Also checks uninstall.php, which removes only the plugin's data.
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
	$builtin = WP_Ultimo\Integrations\Host_Providers\Closte_Host_Provider::get_instance();
	assert_same( 10, has_action( 'wu_add_domain', array( $builtin, 'on_add_domain' ) ), 'built-in on wu_add_domain' );
	do_action( 'wu_add_domain', wpt_domain( 'noext' ), 1 );
	do_action( 'wu_remove_domain', wpt_domain( 'noext' ), 1 );
	$methods = array_map(
		function ( $call ) {
			return $call[1];
		},
		wpt_builtin_calls()
	);
	assert_same( array( 'on_add_domain', 'on_remove_domain' ), $methods, 'built-in calls' );
	assert_same( array(), wpt_sim_requests(), 'requests from closte-native' );
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

closte_test( 'uninstall removes the dismissals and pending jobs, nothing else', function () {
	$payload = array( array( 'operation' => 'add', 'domain' => wpt_domain( 'uninstall' ), 'site_id' => 1, 'attempt' => 2 ) );
	wp_schedule_single_event( time() + 600, 'closte_native_domain_job', $payload );
	wp_schedule_single_event( time() + 600, 'wpt_unrelated_event' );
	as_schedule_single_action( time() + 600, 'closte_native_domain_job', $payload, 'closte-native' );
	wu_enqueue_async_action( 'wu_add_domain', array( 'domain' => wpt_domain( 'keep' ), 'site_id' => 1 ), 'domain' );
	update_user_meta( 1, 'wpt_unrelated_meta', 'keep' );
	define( 'WP_UNINSTALL_PLUGIN', 'closte-native/closte-native.php' );
	include WP_PLUGIN_DIR . '/closte-native/uninstall.php';
	assert_same( '', get_user_meta( 1, Closte_Native_Notice::META, true ), 'dismissal' );
	assert_same( array(), wpt_cron_events( 'closte_native_domain_job' ), 'cron events' );
	assert_same( array(), wpt_plugin_jobs(), 'Action Scheduler jobs' );
	assert_same( 1, count( wpt_cron_events( 'wpt_unrelated_event' ) ), 'unrelated cron event' );
	assert_same( 1, count( wu_standin_jobs() ), 'Ultimate Multisite jobs' );
	assert_same( 'keep', get_user_meta( 1, 'wpt_unrelated_meta', true ), 'unrelated user meta' );
	assert_same( array( 'closte' => true ), get_site_option( 'wu_host_integrations_enabled' ), 'integration toggle' );
	wu_standin_run_jobs();
} );

closte_test_run();
