<?php
/**
 * Plugin Name:       Closte Native for Ultimate Multisite
 * Description:       Sends Ultimate Multisite's domain events to Closte through the native closte PHP extension: each mapped domain becomes a Closte domain alias exactly once, unmapped and renamed domains are removed, and nothing is lost when Closte is briefly unreachable.
 * Version:           0.2.0
 * Requires at least: 6.5
 * Tested up to:      7.0
 * Requires PHP:      7.4
 * Requires Plugins:  ultimate-multisite
 * Author:            The closte project
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       closte-native
 * Network:           true
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

define( 'CLOSTE_NATIVE_VERSION', '0.2.0' );
define( 'CLOSTE_NATIVE_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-closte-native-key.php';
require_once __DIR__ . '/includes/class-closte-native-logger.php';
require_once __DIR__ . '/includes/class-closte-native-request-options.php';
require_once __DIR__ . '/includes/class-closte-native-queue.php';
require_once __DIR__ . '/includes/class-closte-native-domain-lock.php';
require_once __DIR__ . '/includes/class-closte-native-um-state.php';
require_once __DIR__ . '/includes/class-closte-native-domain-handler.php';
require_once __DIR__ . '/includes/class-closte-native-recovery.php';
require_once __DIR__ . '/includes/class-closte-native-reconcile.php';
require_once __DIR__ . '/includes/class-closte-native-cert-watch.php';
require_once __DIR__ . '/includes/class-closte-native-um-takeover.php';
require_once __DIR__ . '/includes/class-closte-native-notice.php';
require_once __DIR__ . '/includes/class-closte-native-site-health.php';
require_once __DIR__ . '/includes/class-closte-native-plugin.php';
if ( is_admin() ) {
	require_once __DIR__ . '/includes/admin/class-closte-native-admin.php';
}

/*
 * Boot while this file loads: the take-over hooks on Ultimate Multisite's
 * registry actions, which fire on plugins_loaded, must be in place before
 * them whichever plugin loads first.
 */
Closte_Native_Plugin::boot();

register_deactivation_hook( __FILE__, 'closte_native_deactivate' );

/**
 * Pending jobs would fail with no callback once the plugin is off: removes
 * them (retries, the daily reconcile and the certificate watch).
 *
 * @return void
 */
function closte_native_deactivate() {
	Closte_Native_Queue::unschedule_all();
	Closte_Native_Reconcile::unschedule();
	Closte_Native_Cert_Watch::unschedule();
}

if ( defined( 'WP_CLI' ) && WP_CLI ) {
	require_once __DIR__ . '/includes/cli/class-closte-native-cli.php';
	WP_CLI::add_command( 'closte', 'Closte_Native_CLI' );
}
