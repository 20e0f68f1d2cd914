<?php
/**
 * The domain scenarios run side by side (side_by_side_test.php): each once
 * with closte-native (its calls as the simulator saw them) and once with
 * Ultimate Multisite's built-in Closte integration alone (its calls recorded
 * through pre_http_request, nothing sent), in separate PHP processes on the
 * same network, through the real Ultimate Multisite: its domain manager
 * fires the events, its Action Scheduler runs them.
 *
 * A scenario's 'run' is a closure taking $p, a prefix unique to the run,
 * which every name it makes starts with; 'before_load' (optional) runs
 * before WordPress loads; 'native_extra' lists the calls closte-native
 * makes after the built-in's by design (the rule: the same calls, minus the
 * guessed SSL endpoints, plus removing the old alias on a rename). Names made in a subdomain network are subdomains of the
 * network's domain; in a subdirectory network, paths on it.
 */

/**
 * A new site of the network ("$p-NAME" as subdomain or path), its id.
 */
function wpt_scenario_site( $p, $name ) {
	$network = get_network();
	$domain  = is_subdomain_install() ? "$p-$name.{$network->domain}" : $network->domain;
	$path    = is_subdomain_install() ? '/' : "/$p-$name/";
	$site    = wpmu_create_blog( $domain, $path, "Site $name", 1, array(), $network->id );
	if ( ! is_int( $site ) ) {
		closte_fail( 'site not created: ' . ( is_wp_error( $site ) ? $site->get_error_message() : '?' ) );
	}
	return $site;
}

/**
 * Maps a domain to a site, as the admin's "Add Domain" does.
 */
function wpt_scenario_map( $domain, $site_id, array $extra = array() ) {
	$record = wu_create_domain( array( 'domain' => $domain, 'blog_id' => $site_id ) + $extra );
	if ( is_wp_error( $record ) ) {
		closte_fail( "map $domain: " . $record->get_error_message() );
	}
	return $record;
}

function wpt_scenarios() {
	return array(
		'a new site of the network'                    => array(
			'run' => function ( $p ) {
				wpt_scenario_site( $p, 'blog' );
				wpt_run_jobs();
			},
		),
		'a custom domain mapped to a site'             => array(
			'run' => function ( $p ) {
				$site = wpt_scenario_site( $p, 'shop' );
				wpt_run_jobs();
				wpt_scenario_map( "$p-shop.example", $site );
				wpt_run_jobs();
			},
		),
		'a mapped domain unmapped'                     => array(
			'run' => function ( $p ) {
				$record = wpt_scenario_map( "$p-gone.example", 1 );
				wpt_run_jobs();
				wpt_delete_domain( $record );
				wpt_run_jobs();
			},
		),
		'a mapped domain renamed'                      => array(
			// The one difference by design: the old name's alias goes too.
			'native_extra' => array(
				array(
					'endpoint' => 'deletedomainalias',
					'domain'   => 'P-old.example',
					'wildcard' => '0',
				),
			),
			'run'          => function ( $p ) {
				$record = wpt_scenario_map( "$p-old.example", 1 );
				wpt_run_jobs();
				wpt_rename_domain( $record, "$p-new.example" );
				wpt_run_jobs();
			},
		),
		'the primary domain changed'                   => array(
			'run' => function ( $p ) {
				$site  = wpt_scenario_site( $p, 'brand' );
				$first = wpt_scenario_map( "$p-first.example", $site, array( 'primary_domain' => true ) );
				wpt_run_jobs();
				$second = wpt_scenario_map( "$p-second.example", $site );
				wpt_run_jobs();
				$second->set_primary_domain( true );
				$second->save();
				wpt_run_jobs();
			},
		),
		'a site deleted with its mapped domain'        => array(
			'run' => function ( $p ) {
				$site = wpt_scenario_site( $p, 'closing' );
				wpt_scenario_map( "$p-closing.example", $site );
				wpt_run_jobs();
				require_once ABSPATH . 'wp-admin/includes/ms.php';
				wpmu_delete_blog( $site, true );
				wpt_run_jobs();
			},
		),
		'a site with its own domain duplicated'        => array(
			'run' => function ( $p ) {
				$site = wpt_scenario_site( $p, 'template' );
				wpt_scenario_map( "$p-template.example", $site );
				wpt_run_jobs();
				$copy = WP_Ultimo\Helpers\Site_Duplicator::duplicate_site(
					$site,
					'Copy',
					array(
						'domain'  => "$p-copy.example",
						'path'    => '/',
						'email'   => 'admin@example.test',
						'user_id' => 1,
					)
				);
				if ( ! is_int( $copy ) ) {
					closte_fail( 'duplicate: ' . ( is_wp_error( $copy ) ? $copy->get_error_message() : '?' ) );
				}
				wpt_run_jobs();
			},
		),
		'sites on a base domain of a checkout form'    => array(
			'run' => function ( $p ) {
				// The filter Ultimate Multisite reads its checkout forms' base domains through.
				add_filter(
					'wu_checkout_form_base_domains',
					function ( $domains ) use ( $p ) {
						return array_merge( (array) $domains, array( "$p-base.example" ) );
					}
				);
				foreach ( array( 'one', 'two' ) as $name ) {
					$site = wpmu_create_blog( "$p-base.example", "/$name/", "Base $name", 1, array(), get_current_network_id() );
					if ( ! is_int( $site ) ) {
						closte_fail( 'site on the base domain not created' );
					}
				}
				wpt_run_jobs();
			},
		),
		'the Closte integration switched off'          => array(
			'before_load' => function () {
				wpt_prefilter(
					'site_option_wu_host_integrations_enabled',
					function () {
						return array( 'closte' => false );
					}
				);
			},
			'run'         => function ( $p ) {
				$site   = wpt_scenario_site( $p, 'off' );
				$record = wpt_scenario_map( "$p-off.example", $site );
				wpt_run_jobs();
				wpt_delete_domain( $record );
				wpt_run_jobs();
			},
		),
	);
}
