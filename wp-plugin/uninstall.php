<?php
/**
 * Removes what this plugin stored, and nothing else: the per-user notice
 * dismissals, its pending jobs (Action Scheduler groups closte-native and
 * closte-native-reconcile, or the WP-Cron events of the main site), its
 * record of the aliases it added, and the admin page's cached alias list (a
 * site transient).
 * Ultimate Multisite's settings and the aliases on Closte are left alone.
 *
 * @package Closte_Native
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_metadata( 'user', 0, 'closte_native_notice_dismissed', '', true );
delete_site_transient( 'closte_native_admin_aliases' );
delete_site_transient( 'closte_native_health_key_test' );

// WordPress runs this file without loading the (inactive) plugin: its classes may be missing.
if ( ! class_exists( 'Closte_Native_Queue', false ) ) {
	require_once __DIR__ . '/includes/class-closte-native-queue.php';
}
if ( ! class_exists( 'Closte_Native_Reconcile', false ) ) {
	require_once __DIR__ . '/includes/class-closte-native-reconcile.php';
}
if ( ! class_exists( 'Closte_Native_Cert_Watch', false ) ) {
	require_once __DIR__ . '/includes/class-closte-native-cert-watch.php';
}
Closte_Native_Queue::unschedule_all();
Closte_Native_Reconcile::unschedule();
Closte_Native_Cert_Watch::unschedule();
delete_site_option( Closte_Native_Cert_Watch::RESULTS_OPTION );
delete_site_option( Closte_Native_Cert_Watch::SUMMARY_OPTION );
delete_metadata( 'user', 0, Closte_Native_Cert_Watch::DISMISS_META, '', true );

// Which aliases this plugin added (one network option per domain).
global $wpdb;
// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- a prefix match across every network; no API lists options by prefix.
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->sitemeta} WHERE meta_key LIKE %s", $wpdb->esc_like( 'closte_native_alias_' ) . '%' ) );
wp_cache_flush();
