<?php
/**
 * Headless WordPress multisite install for the tests (no wp-cli here).
 *
 * php install.php network  DIR DOMAIN SUBDOMAIN(1|0)   single site, then the network
 * php install.php activate DIR DOMAIN SUBDOMAIN(1|0)   network-activates Ultimate Multisite and closte-native
 * php install.php setup    DIR DOMAIN SUBDOMAIN(1|0)   sets Ultimate Multisite up as its wizard would
 *
 * Headless, the wizard comes down to (../shared/fixtures/README.md): its
 * Core_Installer's tables, wu_setup_finished, enable_domain_mapping in its
 * settings and the Closte host integration switched on.
 */

if ( 5 !== $argc ) {
	fwrite( STDERR, "usage: install.php network|activate DIR DOMAIN 1|0\n" );
	exit( 2 );
}
list( , $closte_phase, $closte_dir, $closte_domain, $closte_sub ) = $argv;
$closte_sub = '1' === $closte_sub;

$_SERVER['HTTP_HOST']   = $closte_domain;
$_SERVER['SERVER_NAME'] = $closte_domain;
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PORT'] = '80';

if ( 'network' === $closte_phase ) {
	define( 'WP_INSTALLING', true );
	require $closte_dir . '/wp-load.php';
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	require_once ABSPATH . 'wp-admin/includes/network.php';

	$result = wp_install( 'Closte test', 'admin', 'admin@example.test', false, '', 'admin-test-password' );
	update_option( 'siteurl', 'http://' . $closte_domain );
	update_option( 'home', 'http://' . $closte_domain );

	global $wpdb;
	foreach ( $wpdb->tables( 'ms_global' ) as $table => $prefixed ) {
		$wpdb->$table = $prefixed;
	}
	install_network();
	$error = populate_network( 1, $closte_domain, 'admin@example.test', 'Closte test network', '/', $closte_sub );
	if ( is_wp_error( $error ) && 'no_wildcard_dns' !== $error->get_error_code() ) {
		fwrite( STDERR, 'populate_network: ' . $error->get_error_message() . "\n" );
		exit( 1 );
	}
	$config = "<?php\n"
		. "define( 'MULTISITE', true );\n"
		. "define( 'SUBDOMAIN_INSTALL', " . ( $closte_sub ? 'true' : 'false' ) . " );\n"
		. "define( 'DOMAIN_CURRENT_SITE', '" . $closte_domain . "' );\n"
		. "define( 'PATH_CURRENT_SITE', '/' );\n"
		. "define( 'SITE_ID_CURRENT_SITE', 1 );\n"
		. "define( 'BLOG_ID_CURRENT_SITE', 1 );\n";
	file_put_contents( $closte_dir . '/wp-config-multisite.php', $config );
	echo "network installed: $closte_domain\n";
	exit( 0 );
}

require $closte_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
if ( 'setup' === $closte_phase ) {
	if ( ! class_exists( 'WP_Ultimo\\Installers\\Core_Installer' ) ) {
		fwrite( STDERR, "Ultimate Multisite is not loaded\n" );
		exit( 1 );
	}
	WP_Ultimo\Installers\Core_Installer::get_instance()->_install_database_tables();
	update_network_option( null, 'wu_setup_finished', true );
	wu_save_setting( 'enable_domain_mapping', true );
	update_network_option( null, 'wu_host_integrations_enabled', array( 'closte' => true ) );
	echo 'Ultimate Multisite ' . wu_get_version() . " set up: tables, domain mapping, Closte integration on\n";
	exit( 0 );
}
if ( ! is_multisite() ) {
	fwrite( STDERR, "not a multisite\n" );
	exit( 1 );
}
foreach ( array( 'ultimate-multisite/ultimate-multisite.php', 'closte-native/closte-native.php' ) as $plugin ) {
	$result = activate_plugin( $plugin, '', true );
	if ( is_wp_error( $result ) ) {
		fwrite( STDERR, "activate $plugin: " . $result->get_error_message() . "\n" );
		exit( 1 );
	}
}
echo 'active network plugins: ' . implode( ', ', array_keys( get_site_option( 'active_sitewide_plugins' ) ) ) . "\n";
