<?php
/**
 * One side of a side-by-side scenario, in its own PHP process:
 *
 *   php scenario-run.php native|builtin SCENARIO PREFIX
 *
 * native: closte-native handles the events (its calls are those the
 * simulator saw); builtin: closte-native is not loaded and Ultimate
 * Multisite's built-in Closte integration makes its calls, recorded by the
 * closte-test-env mu-plugin. Prints one JSON object: calls (adddomainalias
 * and deletedomainalias, in order, with PREFIX written as "P"), ssl_calls
 * (the built-in's guessed SSL endpoints), stray_calls (calls to Closte the
 * other side should never make).
 */

require __DIR__ . '/bootstrap.php';
require __DIR__ . '/scenarios.php';

list( , $wpt_mode, $wpt_name, $wpt_prefix ) = $argv + array( '', '', '', '' );
$wpt_scenarios = wpt_scenarios();
if ( ! isset( $wpt_scenarios[ $wpt_name ] ) || ! in_array( $wpt_mode, array( 'native', 'builtin' ), true ) || '' === $wpt_prefix ) {
	fwrite( STDERR, "usage: scenario-run.php native|builtin SCENARIO PREFIX\n" );
	exit( 2 );
}
if ( 'builtin' === $wpt_mode ) {
	define( 'CLOSTE_TEST_WITHOUT_NATIVE', true );
}
if ( isset( $wpt_scenarios[ $wpt_name ]['before_load'] ) ) {
	$wpt_scenarios[ $wpt_name ]['before_load']();
}
require __DIR__ . '/load-wordpress.php';

// Both sides: what reaches the simulator is what closte-native sent.
wpt_sim_reset();
$wpt_scenarios[ $wpt_name ]['run']( $wpt_prefix );

$wpt_normalize = function ( array $calls ) use ( $wpt_prefix ) {
	return array_map(
		function ( $call ) use ( $wpt_prefix ) {
			$call['domain'] = null === $call['domain'] ? null : str_replace( $wpt_prefix, 'P', $call['domain'] );
			return $call;
		},
		$calls
	);
};
$wpt_builtin = wpt_builtin_calls( true );
$wpt_ssl     = array_values(
	array_filter(
		$wpt_builtin,
		function ( $call ) {
			return ! in_array( $call['endpoint'], array( 'adddomainalias', 'deletedomainalias' ), true );
		}
	)
);
if ( 'native' === $wpt_mode ) {
	$wpt_result = array(
		'calls'       => $wpt_normalize( wpt_native_calls() ),
		'ssl_calls'   => array(),
		'stray_calls' => $wpt_normalize( $wpt_builtin ),
	);
} else {
	$wpt_result = array(
		'calls'       => $wpt_normalize( wpt_builtin_calls( false ) ),
		'ssl_calls'   => $wpt_normalize( $wpt_ssl ),
		'stray_calls' => $wpt_normalize( wpt_native_calls() ),
	);
}
echo wp_json_encode( $wpt_result ), "\n";
