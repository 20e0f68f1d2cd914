<?php
/**
 * The WP-CLI commands (wp closte ...), run through the real WP-CLI of
 * ../shared/fixtures/wp-cli against this multisite and the simulator: their
 * output (JSON parsed), their exit status, and the key in no output.
 * Domain records are written straight into Ultimate Multisite's table (no
 * event fires), so that only the command under test talks to Closte.
 *
 * @closte-run subdomain-only
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/load-wordpress.php';

/**
 * WP-CLI's folder: ../shared/fixtures/wp-cli beside the checkout (or
 * CLOSTE_FIXTURES/wp-cli, as tests/wp/lib/env.sh honours it).
 */
function wpt_cli_dir() {
	$fixtures = getenv( 'CLOSTE_FIXTURES' );
	$base     = ( false !== $fixtures && '' !== $fixtures ) ? $fixtures : dirname( __DIR__, 2 ) . '/../shared/fixtures';
	return $base . '/wp-cli';
}

/**
 * Runs `wp ARGS...` in a PHP of its own, with this PHP's closte settings
 * (an $ini entry overrides one; null leaves it out: 'extension' => null runs
 * without the extension). stdin gets $stdin, then is closed. Fails the test
 * at once when the key shows anywhere in the output; the key is masked in
 * what it returns so that no failure message can carry it.
 *
 * @return array{status: int, out: string, err: string}
 */
function wpt_cli( array $args, array $ini = array(), $stdin = '', array $env = array() ) {
	$settings = array_merge(
		array(
			'extension'              => wpt_env( 'CLOSTE_SO' ),
			'closte.api_url'         => ini_get( 'closte.api_url' ),
			'closte.timeout'         => ini_get( 'closte.timeout' ),
			'closte.connect_timeout' => ini_get( 'closte.connect_timeout' ),
		),
		$ini
	);
	$command  = array( PHP_BINARY );
	foreach ( $settings as $name => $value ) {
		if ( null !== $value ) {
			$command[] = '-d';
			$command[] = "$name=$value";
		}
	}
	$command = array_merge(
		$command,
		array(
			wpt_cli_dir() . '/vendor/wp-cli/wp-cli/php/boot-fs.php',
			'--allow-root',
			'--path=' . wpt_env( 'CLOSTE_WP_DIR' ),
			'--url=http://' . wpt_env( 'CLOSTE_WP_DOMAIN' ) . '/',
		),
		$args
	);
	$process = proc_open(
		$command,
		array(
			0 => array( 'pipe', 'r' ),
			1 => array( 'pipe', 'w' ),
			2 => array( 'pipe', 'w' ),
		),
		$pipes,
		null,
		$env ? array_merge( getenv(), $env ) : null
	);
	if ( ! is_resource( $process ) ) {
		closte_fail( 'could not start WP-CLI' );
	}
	if ( '' !== $stdin ) {
		fwrite( $pipes[0], $stdin );
	}
	fclose( $pipes[0] );
	$out    = stream_get_contents( $pipes[1] );
	$err    = stream_get_contents( $pipes[2] );
	$status = proc_close( $process );
	$key    = wpt_env( 'CLOSTE_TEST_KEY' );
	foreach ( array( $key, rawurlencode( $key ), 'SECRET_abc' ) as $secret ) {
		if ( false !== strpos( $out . $err, $secret ) ) {
			closte_fail( 'the API key is in the output of wp ' . implode( ' ', $args ) );
		}
	}
	return array(
		'status' => $status,
		'out'    => $out,
		'err'    => $err,
	);
}

/**
 * `wp closte ARGS... --format=json`'s rows, after checking its exit status.
 */
function wpt_cli_json( array $args, $status = 0, array $ini = array() ) {
	$run = wpt_cli( array_merge( array( 'closte' ), $args, array( '--format=json' ) ), $ini );
	assert_same( $status, $run['status'], 'exit status of wp closte ' . implode( ' ', $args ) . ' (stderr: ' . trim( $run['err'] ) . ')' );
	$rows = json_decode( trim( $run['out'] ), true );
	if ( ! is_array( $rows ) ) {
		closte_fail( 'not JSON from wp closte ' . implode( ' ', $args ) . ': ' . closte_export( $run['out'] ) . ' / ' . closte_export( $run['err'] ) );
	}
	return $rows;
}

/**
 * The rows whose domain is $domain.
 */
function wpt_rows_for( array $rows, $domain ) {
	return array_values(
		array_filter(
			$rows,
			function ( $row ) use ( $domain ) {
				return isset( $row['domain'] ) && $domain === $row['domain'];
			}
		)
	);
}

/**
 * Prints a command's output under the test's line, indented (a record of
 * what the commands look like).
 */
function wpt_show( $title, array $run ) {
	echo "     $ $title  (exit {$run['status']})\n";
	foreach ( explode( "\n", rtrim( $run['out'] . $run['err'] ) ) as $line ) {
		echo '       ' . $line . "\n";
	}
}

/**
 * An API URL where nothing listens, and no retries: "Closte is down", quickly.
 */
function wpt_dead_ini() {
	return array(
		'closte.api_url'         => wpt_dead_api_url(),
		'closte.retries'         => '0',
		'closte.connect_timeout' => '1',
	);
}

function wpt_kinds_since( $count ) {
	return wpt_request_kinds( array_slice( wpt_sim_requests(), $count ) );
}

closte_test( 'the commands are registered; their help documents the exit status', function () {
	$run = wpt_cli( array( 'help', 'closte', 'sync' ) );
	assert_same( 0, $run['status'], 'exit status of wp help closte sync: ' . $run['err'] );
	assert_contains( 'EXIT STATUS', $run['out'], 'help' );
	assert_contains( '--remove-extra', $run['out'], 'help' );
	// WP-CLI takes only the docblock's first line as the short description.
	assert_contains( "DESCRIPTION\n\n  Brings Closte's aliases in line with Ultimate Multisite's domain records.\n\nSYNOPSIS", $run['out'], 'help' );
	wpt_show( 'wp help closte sync', $run );
	$run = wpt_cli( array( 'help', 'closte' ) );
	foreach ( array( 'status', 'test', 'list', 'add', 'remove', 'sync', 'ssl', 'reconcile' ) as $command ) {
		assert_true( 1 === preg_match( '/^\s+' . $command . '\s/m', $run['out'] ), "wp closte $command listed" );
	}
} );

closte_test( 'status: the extension, the state, the key source and its last 4 characters only', function () {
	$key  = wpt_env( 'CLOSTE_TEST_KEY' );
	$item = wpt_cli_json( array( 'status' ) );
	assert_same( 'loaded', $item['extension'], 'extension' );
	assert_true( '' !== $item['extension_version'], 'extension version' );
	assert_same( 'active', $item['state'], 'state' );
	assert_same( true, $item['integration_enabled'], 'integration enabled' );
	assert_same( 'constant', $item['key_source'], 'key source' );
	assert_same( substr( $key, -4 ), $item['key_last4'], 'key hint' );
	assert_same( wpt_env( 'CLOSTE_SIM_URL' ) . '/api/client', $item['api_url'], 'API URL' );
	assert_same( 'direct', $item['proxy_route'], 'proxy route' );
	assert_true( is_int( $item['pending_retries'] ), 'pending retries is a number' );
	$run = wpt_cli( array( 'closte', 'status' ) );
	assert_same( 0, $run['status'], 'exit status' );
	assert_contains( 'key_last4', $run['out'], 'table' );
	assert_contains( substr( $key, -4 ), $run['out'], 'table' );
	wpt_show( 'wp closte status', $run );
} );

closte_test( 'without the extension: status works, every other command fails with exit 1', function () {
	$no_ext = array( 'extension' => null );
	$item   = wpt_cli_json( array( 'status' ), 0, $no_ext );
	assert_same( 'not loaded', $item['extension'], 'extension' );
	assert_same( 'no-extension', $item['state'], 'state' );
	assert_same( 'constant', $item['key_source'], 'key source' );
	foreach ( array( array( 'test' ), array( 'list' ), array( 'add', 'x.sub.example' ), array( 'remove', 'x.sub.example' ), array( 'sync' ), array( 'ssl', '--all' ), array( 'reconcile' ) ) as $args ) {
		$run = wpt_cli( array_merge( array( 'closte' ), $args ), $no_ext );
		assert_same( 1, $run['status'], 'exit status of wp closte ' . implode( ' ', $args ) );
		assert_contains( 'Error: The closte PHP extension is not loaded', $run['err'], 'stderr of wp closte ' . implode( ' ', $args ) );
	}
	wpt_show( 'wp closte add x.sub.example  (no extension)', $run );
} );

closte_test( 'test: exit 0 when Closte accepts the key, 1 when Closte is down', function () {
	$run = wpt_cli( array( 'closte', 'test' ) );
	assert_same( 0, $run['status'], 'exit status: ' . $run['err'] );
	assert_contains( 'Success: Connected: Closte accepts the API key.', $run['out'], 'stdout' );
	wpt_show( 'wp closte test', $run );
	$run = wpt_cli( array( 'closte', 'test' ), wpt_dead_ini() );
	assert_same( 1, $run['status'], 'exit status with Closte down' );
	assert_contains( 'Error: Connection test failed', $run['err'], 'stderr' );
	wpt_show( 'wp closte test  (Closte down)', $run );
} );

closte_test( 'add and remove act on Closte directly and say what happened', function () {
	wpt_sim_reset();
	$domain = 'cli-add.sub.example';
	$run    = wpt_cli( array( 'closte', 'add', $domain ) );
	assert_same( 0, $run['status'], 'exit status of add: ' . $run['err'] );
	assert_contains( "Success: Added Closte alias $domain: HTTP 200, 1 attempt(s), ", $run['out'], 'stdout of add' );
	wpt_show( "wp closte add $domain", $run );
	assert_same( array( $domain ), wpt_sim_aliases(), 'aliases after add' );
	assert_same( array(), wpt_records_for( $domain ), 'no domain record made' );

	$item = wpt_cli_json( array( 'add', strtoupper( $domain ) . '.' ) );
	assert_same( true, $item['ok'], 'ok' );
	assert_same( $domain, $item['domain'], 'normalised domain' );
	assert_same( 200, $item['status'], 'status' );
	assert_same( 1, $item['attempts'], 'attempts' );
	assert_same( false, $item['wildcard'], 'wildcard' );

	$run = wpt_cli( array( 'closte', 'remove', $domain ) );
	assert_same( 0, $run['status'], 'exit status of remove: ' . $run['err'] );
	assert_contains( "Success: Removed Closte alias $domain: HTTP 200", $run['out'], 'stdout of remove' );
	wpt_show( "wp closte remove $domain", $run );
	assert_same( array(), wpt_sim_aliases(), 'aliases after remove' );
	assert_same( array( 'add', 'add', 'delete' ), wpt_request_kinds( wpt_sim_requests() ), 'requests' );

	$run = wpt_cli( array( 'closte', 'add', 'bad..name.example' ) );
	assert_same( 1, $run['status'], 'exit status of a bad name' );
	assert_contains( 'Error: Not a valid domain name', $run['err'], 'stderr of a bad name' );
	assert_same( 3, count( wpt_sim_requests() ), 'nothing sent for a bad name' );
} );

closte_test( 'add to a dead API URL: exit 1, the error message, no trace', function () {
	wpt_sim_reset();
	$run = wpt_cli( array( 'closte', 'add', 'cli-dead.sub.example' ), wpt_dead_ini() );
	assert_same( 1, $run['status'], 'exit status' );
	assert_same( '', trim( $run['out'] ), 'stdout' );
	assert_contains( 'Error: Closte could not be reached: ', $run['err'], 'stderr' );
	foreach ( array( 'Stack trace', '#0 ', 'Fatal error', 'TransportException' ) as $trace ) {
		assert_true( false === strpos( $run['err'], $trace ), "no '$trace' in stderr: " . $run['err'] );
	}
	wpt_show( 'wp closte add cli-dead.sub.example  (dead API URL)', $run );
	$run = wpt_cli( array( 'closte', 'remove', 'cli-dead.sub.example' ), wpt_dead_ini() );
	assert_same( 1, $run['status'], 'exit status of remove' );
	assert_same( 0, count( wpt_sim_requests() ), 'nothing reached the simulator' );
} );

closte_test( 'list: records and aliases joined, with their states; --state filters', function () {
	wpt_sim_reset();
	$record = 'cli-list-rec.sub.example';
	$both   = 'cli-list-both.sub.example';
	$extra  = 'cli-list-extra.sub.example';
	wpt_raw_record( $record );
	wpt_raw_record( $both );
	try {
		assert_same( 0, wpt_cli( array( 'closte', 'add', $both ) )['status'], 'add' );
		assert_same( 0, wpt_cli( array( 'closte', 'add', $extra ) )['status'], 'add' );
		$rows = wpt_cli_json( array( 'list' ) );
		$row  = wpt_rows_for( $rows, $record );
		assert_same( 1, count( $row ), 'row of the record' );
		assert_same( 'missing-on-closte', $row[0]['state'], 'state of the record' );
		assert_same( true, $row[0]['in_um'], 'in_um' );
		assert_same( false, $row[0]['on_closte'], 'on_closte' );
		assert_same( 1, $row[0]['site_id'], 'site id' );
		assert_same( 'in-sync', wpt_rows_for( $rows, $both )[0]['state'], 'state of the mapped alias' );
		assert_same( 'only-on-closte', wpt_rows_for( $rows, $extra )[0]['state'], 'state of the extra alias' );
		$run = wpt_cli( array( 'closte', 'list', '--state=only-on-closte', '--format=csv', '--fields=domain,state' ) );
		assert_same( 0, $run['status'], 'exit status' );
		assert_same( "domain,state\n$extra,only-on-closte", trim( $run['out'] ), 'csv' );
		$run = wpt_cli( array( 'closte', 'list' ) );
		wpt_show( 'wp closte list', $run );
		$run = wpt_cli( array( 'closte', 'list', '--format=yaml' ) );
		assert_contains( "domain: $extra", $run['out'], 'yaml' );
		$run = wpt_cli( array( 'closte', 'list' ), wpt_dead_ini() );
		assert_same( 1, $run['status'], 'exit status with Closte down' );
		assert_contains( 'Error: Closte could not be reached', $run['err'], 'stderr with Closte down' );
	} finally {
		wpt_drop_raw_record( $record );
		wpt_drop_raw_record( $both );
	}
} );

closte_test( 'sync: --dry-run changes nothing; sync adds; --remove-extra asks, --yes removes', function () {
	wpt_sim_reset();
	$record = 'cli-sync-rec.sub.example';
	$extra  = 'cli-sync-extra.sub.example';
	$base   = wpt_env( 'CLOSTE_WP_DOMAIN' );
	wpt_raw_record( $record );
	try {
		assert_same( 0, wpt_cli( array( 'closte', 'add', $extra ) )['status'], 'add' );
		assert_same( 0, wpt_cli( array( 'closte', 'add', $base ) )['status'], 'add the network domain' );
		$seen = count( wpt_sim_requests() );

		$rows = wpt_cli_json( array( 'sync', '--dry-run', '--remove-extra' ) );
		assert_same( array( array( 'domain' => $record, 'action' => 'add', 'result' => 'planned' ) ), array_map( 'wpt_without_reason', wpt_rows_for( $rows, $record ) ), 'plan for the record' );
		assert_same( array( array( 'domain' => $extra, 'action' => 'remove', 'result' => 'planned' ) ), array_map( 'wpt_without_reason', wpt_rows_for( $rows, $extra ) ), 'plan for the extra alias' );
		assert_same( array(), wpt_rows_for( $rows, $base ), 'the network domain is never removed' );
		$run = wpt_cli( array( 'closte', 'sync', '--dry-run', '--remove-extra' ) );
		assert_same( 0, $run['status'], 'exit status of the dry run' );
		assert_contains( 'nothing was changed', $run['out'], 'dry run' );
		wpt_show( 'wp closte sync --dry-run --remove-extra', $run );
		assert_same( array(), array_values( array_intersect( wpt_kinds_since( $seen ), array( 'add', 'delete' ) ) ), 'requests of the dry runs: only lists' );
		assert_same( array( $extra, $base ), wpt_sim_aliases(), 'aliases after the dry runs' );

		// A plain sync only adds.
		$seen = count( wpt_sim_requests() );
		$run  = wpt_cli( array( 'closte', 'sync', '--no-color' ), array(), '', array( 'SHELL_PIPE' => '0' ) );
		assert_same( 0, $run['status'], 'exit status of the sync: ' . $run['err'] );
		assert_contains( 'Syncing Closte aliases', $run['out'], 'progress bar' );
		assert_contains( 'Success: Sync: 1 added', $run['out'], 'summary' );
		assert_contains( '--remove-extra removes it', $run['out'], 'note about the extra alias' );
		wpt_show( 'wp closte sync  (SHELL_PIPE=0: as on a terminal)', $run );
		assert_true( in_array( $record, wpt_sim_aliases(), true ) && in_array( $extra, wpt_sim_aliases(), true ), 'record added, extra kept' );
		assert_false( in_array( 'delete', wpt_kinds_since( $seen ), true ), 'no delete by a plain sync' );

		// --remove-extra without --yes and with stdin closed: asked, declined, nothing removed.
		$seen = count( wpt_sim_requests() );
		$run  = wpt_cli( array( 'closte', 'sync', '--remove-extra' ) );
		assert_same( 0, $run['status'], 'exit status when declined' );
		assert_contains( 'Remove 1 alias from Closte?', $run['out'], 'question' );
		assert_contains( "  $extra\n", $run['out'], 'listed' );
		wpt_show( 'wp closte sync --remove-extra </dev/null', $run );
		assert_true( in_array( $extra, wpt_sim_aliases(), true ), 'extra still there' );
		assert_false( in_array( 'delete', wpt_kinds_since( $seen ), true ), 'no delete without confirmation' );

		// --yes removes, and only the extra one.
		$rows = wpt_cli_json( array( 'sync', '--remove-extra', '--yes' ) );
		assert_same( 'removed', wpt_rows_for( $rows, $extra )[0]['result'], 'result for the extra alias' );
		assert_false( in_array( $extra, wpt_sim_aliases(), true ), 'extra removed' );
		assert_true( in_array( $record, wpt_sim_aliases(), true ) && in_array( $base, wpt_sim_aliases(), true ), 'record and network domain kept' );
		assert_same( array( 'delete' ), wpt_request_kinds( array_slice( wpt_sim_requests( $extra ), -1 ) ), 'the delete' );

		// Answering "y" on stdin confirms as well.
		assert_same( 0, wpt_cli( array( 'closte', 'add', $extra ) )['status'], 'add again' );
		$run = wpt_cli( array( 'closte', 'sync', '--remove-extra' ), array(), "y\n" );
		assert_same( 0, $run['status'], 'exit status when confirmed' );
		assert_contains( 'Success: Sync: 0 added, 0 already there, 1 removed', $run['out'], 'summary' );
		wpt_show( 'echo y | wp closte sync --remove-extra', $run );
		assert_false( in_array( $extra, wpt_sim_aliases(), true ), 'extra removed after y' );

		$run = wpt_cli( array( 'closte', 'sync' ) );
		assert_same( 0, $run['status'], 'exit status with nothing to do' );
		assert_contains( 'Success: Nothing to do', $run['out'], 'nothing to do' );

		$run = wpt_cli( array( 'closte', 'sync' ), wpt_dead_ini() );
		assert_same( 1, $run['status'], 'exit status with Closte down' );
	} finally {
		wpt_drop_raw_record( $record );
	}
} );

function wpt_without_reason( array $row ) {
	unset( $row['reason'] );
	return $row;
}

closte_test( 'sync: a failed add is exit 1, with the reason in its row', function () {
	wpt_sim_reset();
	$record = 'cli-sync-fail.sub.example';
	wpt_raw_record( $record );
	try {
		wpt_sim_fault( array( 'kind' => 'status', 'status' => 500, 'endpoint' => 'adddomainalias' ) );
		$run = wpt_cli( array( 'closte', 'sync', '--format=json' ), array( 'closte.retries' => '0' ) );
		wpt_sim_clear_fault();
		assert_same( 1, $run['status'], 'exit status: ' . $run['err'] );
		assert_contains( 'Error: Sync: 0 added, 0 already there, 0 removed, 0 skipped, 1 failed.', $run['err'], 'stderr' );
		$row = wpt_rows_for( (array) json_decode( trim( $run['out'] ), true ), $record );
		assert_same( 'failed', $row[0]['result'], 'result' );
		assert_true( '' !== $row[0]['reason'], 'reason' );
		wpt_show( 'wp closte sync --format=json  (Closte answers 500 to adds)', $run );
		assert_false( in_array( $record, wpt_sim_aliases(), true ), 'not added' );
	} finally {
		wpt_sim_clear_fault();
		wpt_drop_raw_record( $record );
	}
} );

closte_test( 'ssl: one row per domain, exit 1 unless all valid; --all checks the records', function () {
	$port = (int) parse_url( wpt_dead_api_url(), PHP_URL_PORT );
	$file = tempnam( sys_get_temp_dir(), 'closte-cli-ssl' );
	// Loaded by WP-CLI before WordPress: the check goes to a loopback port where nothing listens, not to DNS.
	file_put_contents( $file, "<?php\nWP_CLI::add_wp_hook( 'closte_native_ssl_options', function ( \$options ) { \$options['host'] = '127.0.0.1'; \$options['port'] = $port; return \$options; } );\n" );
	$record = 'cli-ssl-rec.sub.example';
	wpt_raw_record( $record );
	try {
		$rows = wpt_cli_json( array( 'ssl', 'a.sub.example', 'b.sub.example', '--require=' . $file ), 1 );
		assert_same( array( 'a.sub.example', 'b.sub.example' ), array_column( $rows, 'domain' ), 'domains' );
		assert_same( false, $rows[0]['valid'], 'valid' );
		assert_same( 'refused', $rows[0]['error_code'], 'error code' );
		assert_true( '' !== $rows[0]['error'], 'error text' );
		assert_same( null, $rows[0]['days_left'], 'days left' );
		assert_same( array( 'domain', 'valid', 'error_code', 'error', 'days_left', 'expires', 'issuer' ), array_keys( $rows[0] ), 'fields' );
		$run = wpt_cli( array( 'closte', 'ssl', 'a.sub.example', '--require=' . $file ) );
		assert_same( 1, $run['status'], 'exit status' );
		assert_contains( 'Error: 0 of 1 certificates valid.', $run['err'], 'summary' );
		wpt_show( 'wp closte ssl a.sub.example', $run );

		$rows = wpt_cli_json( array( 'ssl', '--all', '--require=' . $file ), 1 );
		assert_same( 1, count( wpt_rows_for( $rows, $record ) ), 'the record checked' );

		$rows = wpt_cli_json( array( 'ssl', 'bad..name.example' ), 1 );
		assert_same( 'invalid_domain', $rows[0]['error_code'], 'error code of a bad name' );
		assert_same( 1, wpt_cli( array( 'closte', 'ssl' ) )['status'], 'no domain, no --all' );
		assert_same( 1, wpt_cli( array( 'closte', 'ssl', 'a.sub.example', '--all' ) )['status'], 'both' );
	} finally {
		wpt_drop_raw_record( $record );
		unlink( $file );
	}
} );

/**
 * A CA and a certificate it signed for $domain, as PEM files in $dir:
 * ca.pem, leaf.pem, leaf.key.
 */
function wpt_make_certificates( $dir, $domain ) {
	$config = "$dir/openssl.cnf";
	file_put_contents(
		$config,
		"[req]\ndistinguished_name = dn\n[dn]\n"
		. "[v3_ca]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = hash\n"
		. "[v3_leaf]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature,keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:$domain\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n"
	);
	$base    = array(
		'config'           => $config,
		'digest_alg'       => 'sha256',
		'private_key_type' => OPENSSL_KEYTYPE_RSA,
		'private_key_bits' => 2048,
	);
	$ca_key  = openssl_pkey_new( $base );
	$ca_csr  = openssl_csr_new( array( 'commonName' => 'closte cli test CA' ), $ca_key, $base );
	$ca      = openssl_csr_sign( $ca_csr, null, $ca_key, 30, $base + array( 'x509_extensions' => 'v3_ca' ), 1 );
	$key     = openssl_pkey_new( $base );
	$csr     = openssl_csr_new( array( 'commonName' => $domain ), $key, $base );
	$leaf    = openssl_csr_sign( $csr, $ca, $ca_key, 30, $base + array( 'x509_extensions' => 'v3_leaf' ), 2 );
	if ( ! $ca || ! $leaf ) {
		closte_fail( 'could not make the test certificates: ' . openssl_error_string() );
	}
	openssl_x509_export_to_file( $ca, "$dir/ca.pem" );
	openssl_x509_export_to_file( $leaf, "$dir/leaf.pem" );
	openssl_pkey_export_to_file( $key, "$dir/leaf.key", null, $base );
}

closte_test( 'ssl: a valid certificate shows valid, days left, expiry and issuer; exit 0', function () {
	$domain = 'cli-tls.sub.example';
	$dir    = sys_get_temp_dir() . '/closte-cli-tls-' . getmypid();
	mkdir( $dir );
	wpt_make_certificates( $dir, $domain );
	// A TLS server of its own (this process must not fork with WordPress's database connection open).
	$server  = '$c = stream_context_create( array( "ssl" => array( "local_cert" => $argv[1], "local_pk" => $argv[2] ) ) );'
		. '$s = stream_socket_server( "tcp://127.0.0.1:0", $no, $why, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $c );'
		. 'file_put_contents( $argv[3], stream_socket_get_name( $s, false ) );'
		. '$end = time() + 60; while ( time() < $end ) { $k = @stream_socket_accept( $s, 1 ); if ( $k ) { stream_set_timeout( $k, 5 ); @stream_socket_enable_crypto( $k, true, STREAM_CRYPTO_METHOD_TLS_SERVER ); usleep( 200000 ); fclose( $k ); } }';
	$process = proc_open( array( PHP_BINARY, '-r', $server, "$dir/leaf.pem", "$dir/leaf.key", "$dir/address" ), array( 1 => array( 'file', '/dev/null', 'w' ), 2 => array( 'file', "$dir/server.err", 'w' ) ), $pipes );
	$require = "$dir/require.php";
	try {
		for ( $i = 0; $i < 50 && ! @filesize( "$dir/address" ); $i++ ) {
			usleep( 100000 );
			clearstatcache();
		}
		$address = (string) @file_get_contents( "$dir/address" );
		assert_true( '' !== $address, 'the TLS server started: ' . @file_get_contents( "$dir/server.err" ) );
		list( $host, $port ) = explode( ':', $address );
		file_put_contents( $require, "<?php\nWP_CLI::add_wp_hook( 'closte_native_ssl_options', function ( \$options ) { return array_merge( \$options, array( 'host' => '$host', 'port' => $port, 'ca_file' => '$dir/ca.pem' ) ); } );\n" );
		$rows = wpt_cli_json( array( 'ssl', $domain, '--require=' . $require ) );
		assert_same( 1, count( $rows ), 'rows' );
		assert_same( $domain, $rows[0]['domain'], 'domain' );
		assert_same( true, $rows[0]['valid'], 'valid: ' . $rows[0]['error'] );
		assert_same( null, $rows[0]['error_code'], 'error code' );
		assert_same( null, $rows[0]['error'], 'error' );
		assert_true( $rows[0]['days_left'] >= 28 && $rows[0]['days_left'] <= 30, 'days left: ' . $rows[0]['days_left'] );
		assert_same( 1, preg_match( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $rows[0]['expires'] ), 'expires: ' . $rows[0]['expires'] );
		assert_contains( 'closte cli test CA', $rows[0]['issuer'], 'issuer' );
		$run = wpt_cli( array( 'closte', 'ssl', $domain, '--require=' . $require ) );
		assert_same( 0, $run['status'], 'exit status' );
		assert_contains( 'Success: 1 of 1 certificates valid.', $run['out'], 'summary' );
		wpt_show( "wp closte ssl $domain  (a local TLS server, its CA trusted)", $run );
	} finally {
		proc_terminate( $process );
		proc_close( $process );
		array_map( 'unlink', glob( "$dir/*" ) );
		rmdir( $dir );
	}
} );

closte_test( 'reconcile: adds the missing alias, then has nothing to do; Closte down is exit 1', function () {
	wpt_sim_reset();
	$record = 'cli-reconcile.sub.example';
	wpt_raw_record( $record );
	try {
		$rows = wpt_cli_json( array( 'reconcile' ) );
		assert_same( 'added', wpt_rows_for( $rows, $record )[0]['result'], 'result' );
		assert_true( in_array( $record, wpt_sim_aliases(), true ), 'alias added' );
		$run = wpt_cli( array( 'closte', 'reconcile' ) );
		assert_same( 0, $run['status'], 'exit status of the second run: ' . $run['err'] );
		assert_contains( 'Success: Reconcile: 0 added, 0 removed, 0 failed', $run['out'], 'second run' );
		wpt_show( 'wp closte reconcile', $run );
		$run = wpt_cli( array( 'closte', 'reconcile' ), wpt_dead_ini() );
		assert_same( 1, $run['status'], 'exit status with Closte down' );
		assert_contains( 'Error: The reconcile stopped: ', $run['err'], 'stderr' );
		wpt_show( 'wp closte reconcile  (Closte down)', $run );
	} finally {
		wpt_drop_raw_record( $record );
		Closte_Native_Um_State::forget_added( $record );
	}
} );

closte_test( 'the commands wrote what they did to the integration-closte log, without the key', function () {
	$log = (string) file_get_contents( wpt_log_file() );
	assert_contains( 'Added Closte domain alias cli-add.sub.example from WP-CLI: HTTP 200', $log, 'log' );
	assert_contains( 'Sync from WP-CLI (removing extra aliases): ', $log, 'log' );
	assert_not_contains( wpt_env( 'CLOSTE_TEST_KEY' ), $log, 'log' );
} );

closte_test_run();
