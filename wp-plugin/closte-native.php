<?php
/**
 * Plugin Name:       Closte Native for Ultimate Multisite
 * Description:       Sends Ultimate Multisite's domain events to Closte through the native closte PHP extension: each mapped domain becomes a Closte domain alias exactly once, unmapped and renamed domains are removed, and nothing is lost when Closte is briefly unreachable.
 * Version:           0.1.0
 * Requires at least: 5.3
 * Requires PHP:      7.4
 * Author:            The closte project
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       closte-native
 * Network:           true
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

define( 'CLOSTE_NATIVE_VERSION', '0.1.0' );
define( 'CLOSTE_NATIVE_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-closte-native-logger.php';
require_once __DIR__ . '/includes/class-closte-native-request-options.php';
require_once __DIR__ . '/includes/class-closte-native-builtin-guard.php';
require_once __DIR__ . '/includes/class-closte-native-queue.php';
require_once __DIR__ . '/includes/class-closte-native-domain-handler.php';
require_once __DIR__ . '/includes/class-closte-native-site-domains.php';
require_once __DIR__ . '/includes/class-closte-native-notice.php';
require_once __DIR__ . '/includes/class-closte-native-plugin.php';
if ( is_admin() ) {
	require_once __DIR__ . '/includes/admin/class-closte-native-admin.php';
}

/*
 * Boot while this file loads, not later: Ultimate Multisite only enqueues
 * wu_add_domain when a callback exists, so the handlers must be there on
 * every request.
 */
Closte_Native_Plugin::boot();
