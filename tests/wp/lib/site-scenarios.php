<?php
/**
 * Site creation and duplication scenarios, run against both stand-in
 * variants: an Ultimate Multisite that creates the site's domain record
 * itself, and one that does not (then closte-native creates it).
 */

/**
 * Domain records for a domain, however many.
 */
function wpt_records_for( $domain ) {
	return array_values(
		array_filter(
			wu_standin_domain_records(),
			function ( $data ) use ( $domain ) {
				return $domain === $data['domain'];
			}
		)
	);
}

function wpt_register_site_scenarios( $um_creates_records, $label ) {
	$who = $um_creates_records ? 'Ultimate Multisite' : 'closte-native';

	closte_test( "site created with a custom domain: one record (by $who), one alias, one request", function () use ( $um_creates_records, $label ) {
		wpt_sim_reset();
		$mark   = wpt_log_mark();
		$domain = wpt_domain( "$label-create" );
		$site   = wpmu_create_blog( $domain, '/', 'Created', 1, array(), get_current_network_id() );
		assert_true( is_int( $site ), 'site created' );
		wpt_run_jobs();
		assert_same( 1, count( wpt_records_for( $domain ) ), 'records' );
		assert_same( $site, (int) wpt_records_for( $domain )[0]['blog_id'], 'record blog_id' );
		assert_same( 'checking-dns', wpt_records_for( $domain )[0]['stage'], 'record stage' );
		assert_same( array( $domain ), wpt_sim_aliases(), 'aliases' );
		assert_same( array( 'add' ), wpt_request_kinds( wpt_sim_requests() ), 'requests' );
		$created_by_us = false !== strpos( wpt_log_since( $mark ), "Created the domain record for $domain" );
		assert_same( ! $um_creates_records, $created_by_us, 'closte-native created the record' );
		assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
	} );

	closte_test( "site duplicated with a custom domain: one record (by $who), one alias, one request", function () use ( $label ) {
		wpt_sim_reset();
		$domain = wpt_domain( "$label-dup" );
		$site   = wu_standin_duplicate_site( 1, $domain, '/', 'Duplicated' );
		assert_true( is_int( $site ), 'site duplicated' );
		wpt_run_jobs();
		assert_same( 1, count( wpt_records_for( $domain ) ), 'records' );
		assert_same( array( $domain ), wpt_sim_aliases(), 'aliases' );
		assert_same( array( 'add' ), wpt_request_kinds( wpt_sim_requests() ), 'requests' );
		assert_same( array(), wpt_builtin_calls(), 'built-in calls' );
	} );

	closte_test( 'the network base domain never gets a record', function () use ( $label ) {
		wpt_sim_reset();
		$base = wpt_env( 'CLOSTE_WP_DOMAIN' );
		if ( ! is_subdomain_install() ) {
			$site = wpmu_create_blog( $base, "/$label-path/", 'Path site', 1, array(), get_current_network_id() );
			assert_true( is_int( $site ), 'path site created' );
		}
		do_action( 'wu_duplicate_site', array( 'site_id' => 1 ) );
		assert_same( null, Closte_Native_Plugin::instance()->sites->ensure_record( get_site( 1 ) ), 'ensure_record on the main site' );
		wpt_run_jobs();
		assert_same( array(), wpt_records_for( $base ), 'records for the base domain' );
		assert_same( array(), wpt_sim_requests(), 'requests' );
	} );

	closte_test( 'wu_should_create_domain_record_for_site false: no record, no request', function () use ( $label ) {
		wpt_sim_reset();
		$domain = wpt_domain( "$label-filtered" );
		$veto   = function ( $create, $site ) use ( $domain ) {
			return $site->domain === $domain ? false : $create;
		};
		add_filter( 'wu_should_create_domain_record_for_site', $veto, 10, 2 );
		$site = wpmu_create_blog( $domain, '/', 'Filtered', 1, array(), get_current_network_id() );
		do_action( 'wu_duplicate_site', array( 'site_id' => $site ) );
		remove_filter( 'wu_should_create_domain_record_for_site', $veto, 10 );
		wpt_run_jobs();
		assert_same( array(), wpt_records_for( $domain ), 'records' );
		assert_same( array(), wpt_sim_requests(), 'requests' );
	} );
}
