<?php
/**
 * Removes what this plugin stored, and nothing else: the per-user notice
 * dismissals, its pending jobs (Action Scheduler group closte-native, or
 * the WP-Cron events of the main site) and the admin page's cached alias
 * list (a site transient).
 * Ultimate Multisite's settings and the aliases on Closte are left alone.
 *
 * @package Closte_Native
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_metadata( 'user', 0, 'closte_native_notice_dismissed', '', true );
delete_site_transient( 'closte_native_admin_aliases' );

if ( function_exists( 'as_unschedule_all_actions' ) ) {
	as_unschedule_all_actions( 'closte_native_domain_job', array(), 'closte-native' );
}

$closte_native_switched = is_multisite() && ! is_main_site();
if ( $closte_native_switched ) {
	switch_to_blog( get_main_site_id() );
}
wp_unschedule_hook( 'closte_native_domain_job' );
if ( $closte_native_switched ) {
	restore_current_blog();
}
