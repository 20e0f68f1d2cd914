<?php
/**
 * The API key appears in no log file and no test output. Runs once, after
 * every other test file, over the files run.sh collected.
 *
 * @closte-run once
 */

require __DIR__ . '/lib/bootstrap.php';

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

closte_test_run();
