<?php
/**
 * The API key and the proxy passwords appear in no log file and no test
 * output. Runs once, after every other test file, over the files run.sh
 * collected.
 *
 * @closte-run once
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/proxy.php';

function wpt_collected_files() {
	$work  = wpt_env( 'CLOSTE_WP_WORK' );
	$files = array_merge(
		glob( "$work/out/*.txt" ),
		glob( "$work/*.log" ),
		glob( "$work/wp-*/wp-content/uploads/wu-logs/*.log" ),
		glob( "$work/wp-*/wp-content/debug.log" )
	);
	return array_values( array_filter( $files, 'is_file' ) );
}

closte_test( 'both installs wrote the integration-closte log', function () {
	$work = wpt_env( 'CLOSTE_WP_WORK' );
	foreach ( array( 'sub', 'dir' ) as $net ) {
		$log = "$work/wp-$net/wp-content/uploads/wu-logs/integration-closte.log";
		assert_true( is_file( $log ) && filesize( $log ) > 0, "log of the $net network" );
		assert_contains( 'Added Closte domain alias', (string) file_get_contents( $log ), "log of the $net network" );
	}
} );

closte_test( 'the key is in no log file and no output', function () {
	$key   = wpt_env( 'CLOSTE_TEST_KEY' );
	$files = wpt_collected_files();
	assert_true( count( $files ) > 10, 'files collected: ' . count( $files ) );
	foreach ( $files as $file ) {
		$text = (string) file_get_contents( $file );
		assert_not_contains( $key, $text, $file );
		assert_not_contains( rawurlencode( $key ), $text, $file );
		assert_not_contains( 'SECRET_abc', $text, $file );
	}
} );

/**
 * tinyproxy's log and output. Not in the key check: over a plain http://
 * API URL (the simulator's) the proxy logs each URL it forwards, and a
 * getdomains URL carries the key in its query string; a real https:// API
 * URL goes through a CONNECT tunnel, and the proxy sees only host:port.
 */
function wpt_proxy_files() {
	$work = wpt_env( 'CLOSTE_WP_WORK' );
	return array_values( array_filter( array( "$work/proxy/tinyproxy.log", "$work/proxy/tinyproxy.out" ), 'is_file' ) );
}

closte_test( 'the proxy passwords are in no log file, no output, not in tinyproxy\'s log', function () {
	$files = array_merge( wpt_collected_files(), wpt_proxy_files(), glob( wpt_env( 'CLOSTE_WP_WORK' ) . '/capture-*/out.txt' ) );
	assert_true( count( wpt_proxy_files() ) > 0 && filesize( wpt_proxy_files()[0] ) > 0, 'tinyproxy logged' );
	foreach ( array( wpt_env( 'CLOSTE_PROXY_PASSWORD' ), WPT_ODD_PROXY_PASSWORD ) as $password ) {
		foreach ( $files as $file ) {
			$text = (string) file_get_contents( $file );
			foreach ( array_unique( array( $password, rawurlencode( $password ), urlencode( $password ) ) ) as $form ) {
				assert_not_contains( $form, $text, $file );
			}
		}
	}
	foreach ( wpt_collected_files() as $file ) {
		assert_not_contains( 'SECRETX', (string) file_get_contents( $file ), $file );
	}
} );

closte_test_run();
