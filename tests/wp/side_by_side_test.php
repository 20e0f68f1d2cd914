<?php
/**
 * The rule, side by side: for every scenario in lib/scenarios.php,
 * closte-native sends Closte the same calls, in the same order, as Ultimate
 * Multisite's built-in Closte integration, minus the built-in's guessed SSL
 * endpoints. Each side runs in its own PHP process (lib/scenario-run.php);
 * this file compares them and prints what each sent.
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/scenarios.php';

/**
 * Runs one side; returns its decoded result.
 */
function wpt_side( $mode, $name, $prefix ) {
	$command = array( PHP_BINARY );
	foreach ( array( 'extension', 'closte.api_url', 'closte.timeout', 'closte.connect_timeout' ) as $ini ) {
		$value = 'extension' === $ini ? wpt_env( 'CLOSTE_SO' ) : ini_get( $ini );
		$command[] = '-d';
		$command[] = "$ini=$value";
	}
	$command = array_merge( $command, array( __DIR__ . '/lib/scenario-run.php', $mode, $name, $prefix ) );
	$process = proc_open( $command, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
	$out     = stream_get_contents( $pipes[1] );
	$err     = stream_get_contents( $pipes[2] );
	$status  = proc_close( $process );
	$lines   = array_values( array_filter( explode( "\n", trim( $out ) ), 'strlen' ) );
	$result  = $lines ? json_decode( end( $lines ), true ) : null;
	if ( 0 !== $status || ! is_array( $result ) ) {
		closte_fail( "$mode side of '$name' failed (exit $status): " . trim( $out . "\n" . $err ) );
	}
	return $result;
}

function wpt_describe_calls( array $calls ) {
	if ( ! $calls ) {
		return 'nothing';
	}
	return implode(
		', ',
		array_map(
			function ( $call ) {
				$verb = 'adddomainalias' === $call['endpoint'] ? 'add' : ( 'deletedomainalias' === $call['endpoint'] ? 'delete' : $call['endpoint'] );
				return $verb . ' ' . ( null === $call['domain'] ? '-' : $call['domain'] ) . ( '1' === $call['wildcard'] ? ' (wildcard)' : '' );
			},
			$calls
		)
	);
}

$wpt_index = 0;
foreach ( wpt_scenarios() as $wpt_name => $wpt_scenario ) {
	++$wpt_index;
	$wpt_extra = isset( $wpt_scenario['native_extra'] ) ? $wpt_scenario['native_extra'] : array();
	closte_test( "side by side: $wpt_name", function () use ( $wpt_name, $wpt_index, $wpt_extra ) {
		$net     = wpt_net();
		$native  = wpt_side( 'native', $wpt_name, "nat$wpt_index$net" );
		$builtin = wpt_side( 'builtin', $wpt_name, "blt$wpt_index$net" );
		echo "     [$net] $wpt_name\n";
		echo '       closte-native: ' . wpt_describe_calls( $native['calls'] ) . "\n";
		echo '       built-in:      ' . wpt_describe_calls( $builtin['calls'] )
			. ( $builtin['ssl_calls'] ? ' (+ ' . count( $builtin['ssl_calls'] ) . ' guessed SSL calls: ' . wpt_describe_calls( $builtin['ssl_calls'] ) . ')' : '' ) . "\n";
		assert_same( array_merge( $builtin['calls'], $wpt_extra ), $native['calls'], 'closte-native calls vs the built-in integration (and the rename rule)' );
		assert_same( array(), $native['stray_calls'], 'calls of the built-in integration while closte-native is active' );
		assert_same( array(), $builtin['stray_calls'], 'calls reaching the simulator with closte-native off' );
	} );
}

closte_test( 'the scenarios did something: at least one call on each side somewhere', function () {
	// Guards against a harness that records nothing on either side.
	$native  = wpt_side( 'native', 'a mapped domain unmapped', 'natguard' . wpt_net() );
	$builtin = wpt_side( 'builtin', 'a mapped domain unmapped', 'bltguard' . wpt_net() );
	assert_same( array( 'adddomainalias', 'deletedomainalias' ), array_column( $native['calls'], 'endpoint' ), 'native endpoints' );
	assert_same( array( 'adddomainalias', 'deletedomainalias' ), array_column( $builtin['calls'], 'endpoint' ), 'built-in endpoints' );
} );

closte_test_run();
