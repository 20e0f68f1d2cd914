<?php
/**
 * Seeds the browser tests' network (run once by tests/browser/run.sh) with
 * the real Ultimate Multisite's API: a second site, two domain records,
 * Closte aliases with drift on both sides, a site admin without network
 * rights, a DNS check interval beyond Ultimate Multisite's bound, and some
 * log lines.
 *
 *   in-sync.example            record + alias
 *   shop.customer-one.example  record only      (drift: missing on Closte)
 *   orphan.example             alias only       (drift: only on Closte)
 *   closte-browser.test        alias only, the network's own domain (kept)
 */

require dirname( __DIR__, 2 ) . '/wp/lib/bootstrap.php';
require dirname( __DIR__, 2 ) . '/wp/lib/load-wordpress.php';

function seed_fail( $message ) {
	fwrite( STDERR, "seed: $message\n" );
	exit( 1 );
}

// A sub-directory site: it shares the network's domain, so Ultimate Multisite makes no record for it.
$seed_site = wpmu_create_blog( wpt_env( 'CLOSTE_WP_DOMAIN' ), '/shop/', 'Shop', 1, array(), get_current_network_id() );
if ( is_wp_error( $seed_site ) ) {
	seed_fail( 'site: ' . $seed_site->get_error_message() );
}
foreach ( array( 'in-sync.example', 'shop.customer-one.example' ) as $seed_domain ) {
	$seed_record = wu_create_domain(
		array(
			'blog_id' => $seed_site,
			'domain'  => $seed_domain,
			'stage'   => 'done',
		)
	);
	if ( is_wp_error( $seed_record ) ) {
		seed_fail( "record $seed_domain: " . $seed_record->get_error_message() );
	}
}
$seed_names = array_map(
	function ( $record ) {
		return $record->get_domain();
	},
	wu_get_domains( array( 'number' => 100 ) )
);
sort( $seed_names );
if ( array( 'in-sync.example', 'shop.customer-one.example' ) !== $seed_names ) {
	seed_fail( 'domain records: ' . implode( ', ', $seed_names ) );
}
// Ultimate Multisite queued a wu_add_domain job and a stage job per record: they never run, so shop.customer-one.example stays missing on Closte.
as_unschedule_all_actions( 'wu_add_domain' );
as_unschedule_all_actions( 'wu_async_process_domain_stage' );

$seed_plugin = Closte_Native_Plugin::instance();
if ( ! $seed_plugin || ! $seed_plugin->is_active() || ! $seed_plugin->handler ) {
	seed_fail( 'closte-native is not active: ' . ( $seed_plugin ? $seed_plugin->state() : 'not booted' ) );
}
if ( ! $seed_plugin->handler->process( 'add', 'in-sync.example', $seed_site, 1 ) ) {
	seed_fail( 'could not add in-sync.example on the simulator' );
}
try {
	closte_add_domain( 'orphan.example' );
	closte_add_domain( wpt_env( 'CLOSTE_WP_DOMAIN' ) );
} catch ( Closte\Exception $e ) {
	seed_fail( get_class( $e ) . ': ' . $e->getMessage() );
}
$seed_plugin->logger->warning( 'Closte unavailable to add alias shop.customer-one.example (site ' . $seed_site . '): HTTP 503: Simulated 503. Attempt 6 of 6.' );
$seed_plugin->logger->error( 'Gave up: could not add Closte alias shop.customer-one.example (site ' . $seed_site . ') after 6 attempts. Last error: HTTP 503: Simulated 503' );

$seed_settings                       = get_network_option( null, 'wp-ultimo_v2_settings', array() );
$seed_settings                       = is_array( $seed_settings ) ? $seed_settings : array();
$seed_settings['dns_check_interval'] = 600;
update_network_option( null, 'wp-ultimo_v2_settings', $seed_settings );

$seed_user = wp_create_user( 'siteadmin', 'siteadmin-test-password', 'siteadmin@example.test' );
if ( is_wp_error( $seed_user ) ) {
	seed_fail( 'user: ' . $seed_user->get_error_message() );
}
( new WP_User( $seed_user ) )->set_role( 'administrator' );

echo "seeded: site $seed_site, records " . implode( ', ', $seed_names ) . ', aliases ' . implode( ', ', closte_list_domains() ) . "\n";
