<?php
/**
 * The certificate watch against real TLS servers made here with openssl
 * (a CA of this test's own; a valid certificate, one that expires in 5
 * days, an expired one, and a name mismatch), plus a listener that never
 * answers the handshake and a port where nothing listens. The domains'
 * names do not resolve: the watch's options filter points each check at
 * 127.0.0.1 and the right port (closte_ssl_status()'s host and port; SNI
 * and the name check still use the domain), and its resolve filter says
 * what each name resolves to. Checks: the daily job and its group, results
 * kept compact in one option, one warning per bad domain and one summary
 * line per run, one dismissible notice, the ssl-failed transition logging
 * why (at once inside a job, through a job of its own outside one), and the
 * time budget with the domains not reached checked first next run.
 *
 * @closte-run subdomain-only
 */

require __DIR__ . '/lib/bootstrap.php';
require __DIR__ . '/lib/load-wordpress.php';

final class WPT_CW_Stopped extends Exception {
}

$GLOBALS['wpt_cw'] = array(
	'dir'     => wpt_env( 'CLOSTE_WP_WORK' ) . '/cert-watch',
	'servers' => array(),
	'ports'   => array(),
	'dead'    => 0,
	'hung'    => null,
);

/**
 * Runs openssl; fails the file on an error.
 */
function wpt_cw_openssl( array $args ) {
	$command = 'openssl ' . implode( ' ', array_map( 'escapeshellarg', $args ) ) . ' 2>&1';
	exec( $command, $out, $status );
	if ( 0 !== $status ) {
		closte_fail( "openssl failed: $command\n" . implode( "\n", $out ) );
	}
}

/**
 * A leaf certificate for these names, signed by the test CA, valid $days days (negative: expired).
 */
function wpt_cw_leaf( $name, array $dns, $days ) {
	$dir = $GLOBALS['wpt_cw']['dir'];
	$ext = "$dir/$name.ext";
	file_put_contents(
		$ext,
		'subjectAltName=' . implode(
			',',
			array_map(
				function ( $n ) {
					return "DNS:$n";
				},
				$dns
			)
		) . "\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
	);
	wpt_cw_openssl( array( 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=' . $dns[0], '-keyout', "$dir/$name.key", '-out', "$dir/$name.csr" ) );
	wpt_cw_openssl( array( 'x509', '-req', '-in', "$dir/$name.csr", '-CA', "$dir/ca.pem", '-CAkey', "$dir/ca.key", '-CAcreateserial', '-days', (string) $days, '-extfile', $ext, '-out', "$dir/$name.pem" ) );
}

function wpt_cw_free_port() {
	$server = stream_socket_server( 'tcp://127.0.0.1:0' );
	$name   = stream_socket_get_name( $server, false );
	fclose( $server );
	return (int) substr( $name, strrpos( $name, ':' ) + 1 );
}

function wpt_cw_wait_port( $port ) {
	for ( $i = 0; $i < 100; $i++ ) {
		$socket = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 );
		if ( $socket ) {
			fclose( $socket );
			return;
		}
		usleep( 100000 );
	}
	closte_fail( "nothing listens on 127.0.0.1:$port" );
}

/**
 * openssl s_server with a leaf; returns its port. Stopped when this file ends.
 */
function wpt_cw_server( $name ) {
	$dir     = $GLOBALS['wpt_cw']['dir'];
	$port    = wpt_cw_free_port();
	$process = proc_open(
		array( 'openssl', 's_server', '-quiet', '-www', '-accept', "127.0.0.1:$port", '-cert', "$dir/$name.pem", '-key', "$dir/$name.key" ),
		array(
			0 => array( 'file', '/dev/null', 'r' ),
			1 => array( 'file', "$dir/s_server-$name.log", 'a' ),
			2 => array( 'file', "$dir/s_server-$name.log", 'a' ),
		),
		$pipes
	);
	if ( ! is_resource( $process ) ) {
		closte_fail( "openssl s_server for $name did not start" );
	}
	$GLOBALS['wpt_cw']['servers'][] = $process;
	wpt_cw_wait_port( $port );
	return $port;
}

/**
 * The servers, and where each test domain's check goes.
 */
function wpt_cw_setup() {
	$cw = &$GLOBALS['wpt_cw'];
	if ( ! is_dir( $cw['dir'] ) ) {
		mkdir( $cw['dir'], 0700, true );
	}
	wpt_cw_openssl( array( 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30', '-subj', '/CN=Closte Cert Watch Test CA', '-keyout', $cw['dir'] . '/ca.key', '-out', $cw['dir'] . '/ca.pem' ) );
	wpt_cw_leaf( 'ok', array( 'ok.cw.example', 'foreign.cw.example' ), 40 );
	wpt_cw_leaf( 'soon', array( 'soon.cw.example' ), 5 );
	wpt_cw_leaf( 'expired', array( 'expired.cw.example' ), -1 );
	register_shutdown_function(
		function () {
			foreach ( $GLOBALS['wpt_cw']['servers'] as $process ) {
				proc_terminate( $process );
				proc_close( $process );
			}
		}
	);
	$ok      = wpt_cw_server( 'ok' );
	$soon    = wpt_cw_server( 'soon' );
	$expired = wpt_cw_server( 'expired' );
	// Accepts connections (the kernel's backlog) and never answers a ClientHello.
	$cw['hung']  = stream_socket_server( 'tcp://127.0.0.1:0' );
	$hung        = stream_socket_get_name( $cw['hung'], false );
	$hung        = (int) substr( $hung, strrpos( $hung, ':' ) + 1 );
	$cw['dead']  = wpt_cw_free_port();
	$cw['ports'] = array(
		'ok.cw.example'       => $ok,
		'foreign.cw.example'  => $ok,
		'mismatch.cw.example' => $ok,
		'soon.cw.example'     => $soon,
		'expired.cw.example'  => $expired,
		'gaveup.cw.example'   => $ok,
		'gaveup2.cw.example'  => $cw['dead'],
	);
	for ( $i = 0; $i < 6; $i++ ) {
		$cw['ports'][ "hung-$i.cw.example" ] = $hung;
	}

	add_filter(
		'closte_native_cert_watch_options',
		function ( $options, $domain ) {
			$cw = $GLOBALS['wpt_cw'];
			// Any other record on this network goes to the dead port: nothing leaves the machine.
			$port = isset( $cw['ports'][ $domain ] ) ? $cw['ports'][ $domain ] : $cw['dead'];
			return array(
				'host'    => '127.0.0.1',
				'port'    => $port,
				'ca_file' => $cw['dir'] . '/ca.pem',
				'timeout' => isset( $GLOBALS['wpt_cw_timeout'] ) ? $GLOBALS['wpt_cw_timeout'] : 3,
			) + $options;
		},
		10,
		2
	);
	add_filter(
		'closte_native_cert_watch_pre_resolve',
		function ( $pre, $name ) {
			if ( 'foreign.cw.example' === $name ) {
				return array( '192.0.2.10' );
			}
			return isset( $GLOBALS['wpt_cw']['ports'][ $name ] ) ? array( '127.0.0.1' ) : array();
		},
		10,
		2
	);
	add_filter(
		'closte_native_network_addresses',
		function ( $addresses ) {
			$addresses[] = '127.0.0.1';
			return $addresses;
		}
	);
}

function wpt_cw_watch() {
	return Closte_Native_Plugin::instance()->cert_watch;
}

/**
 * The mapped domains that are not this file's (records other tests left).
 */
function wpt_cw_others() {
	return array_values(
		array_filter(
			Closte_Native_Um_State::mapped_domains(),
			function ( $name ) {
				return '.cw.example' !== substr( $name, -strlen( '.cw.example' ) );
			}
		)
	);
}

/**
 * Log lines since $mark at $level that contain $needle.
 */
function wpt_cw_lines( $mark, $level, $needle ) {
	return array_values(
		array_filter(
			wpt_log_lines( $mark, $level ),
			function ( $line ) use ( $needle ) {
				return false !== strpos( $line, $needle );
			}
		)
	);
}

function wpt_cw_notice_as( $user_id ) {
	wp_set_current_user( $user_id );
	ob_start();
	wpt_cw_watch()->render_notice();
	return ob_get_clean();
}

/**
 * Runs the dismissal handler as network/edit.php would; returns how it ended.
 */
function wpt_cw_dismiss( $nonce ) {
	$_GET['_wpnonce']     = $nonce;
	$_REQUEST['_wpnonce'] = $nonce;
	$stop                 = function ( $what ) {
		return function () use ( $what ) {
			throw new WPT_CW_Stopped( $what );
		};
	};
	add_filter( 'wp_redirect', $stop( 'redirect' ) );
	add_filter(
		'wp_die_handler',
		function () use ( $stop ) {
			return $stop( 'die' );
		}
	);
	try {
		do_action( 'network_admin_edit_' . Closte_Native_Cert_Watch::DISMISS_ACTION );
		return 'returned';
	} catch ( WPT_CW_Stopped $e ) {
		return $e->getMessage();
	} finally {
		remove_all_filters( 'wp_redirect' );
		remove_all_filters( 'wp_die_handler' );
	}
}

closte_test(
	'wired in: the daily job in its own group, the stage hook and the notice; nothing checked by the page load',
	function () {
		$watch = wpt_cw_watch();
		assert_true( $watch instanceof Closte_Native_Cert_Watch, 'the plugin made the watch' );
		$ids = as_get_scheduled_actions(
			array(
				'hook'   => Closte_Native_Cert_Watch::HOOK,
				'group'  => Closte_Native_Cert_Watch::GROUP,
				'status' => ActionScheduler_Store::STATUS_PENDING,
			),
			'ids'
		);
		assert_same( 1, count( $ids ), 'one recurring action' );
		$action = ActionScheduler::store()->fetch_action( reset( $ids ) );
		assert_true( $action->get_schedule()->is_recurring(), 'recurring' );
		assert_same( DAY_IN_SECONDS, (int) $action->get_schedule()->get_recurrence(), 'every day' );
		assert_same( 1, (int) get_network_option( null, Closte_Native_Cert_Watch::SCHEDULED_OPTION ), 'scheduled flag' );
		assert_same( array(), array_keys( wpt_pending_actions( Closte_Native_Cert_Watch::HOOK ) ), 'not among the domain jobs' );
		assert_same( 10, has_action( 'wu_transition_domain_stage', array( $watch, 'on_stage_change' ) ), 'stage hook' );
		assert_same( 10, has_action( 'network_admin_notices', array( $watch, 'render_notice' ) ), 'notice hook' );
		assert_same( array(), Closte_Native_Cert_Watch::last_results(), 'results after a page load' );

		Closte_Native_Cert_Watch::unschedule();
		assert_false( as_next_scheduled_action( Closte_Native_Cert_Watch::HOOK, array(), Closte_Native_Cert_Watch::GROUP ), 'after unschedule()' );
		assert_false( get_network_option( null, Closte_Native_Cert_Watch::SCHEDULED_OPTION ), 'flag after unschedule()' );
		$watch->ensure_schedule();
		assert_true( is_int( as_next_scheduled_action( Closte_Native_Cert_Watch::HOOK, array(), Closte_Native_Cert_Watch::GROUP ) ), 'scheduled again' );
		$watch->ensure_schedule();
		assert_same(
			1,
			count(
				as_get_scheduled_actions(
					array(
						'hook'   => Closte_Native_Cert_Watch::HOOK,
						'status' => ActionScheduler_Store::STATUS_PENDING,
					),
					'ids'
				)
			),
			'still one action'
		);
	}
);

closte_test(
	'the daily job: results kept, one warning per bad domain, one summary line',
	function () {
		wpt_cw_setup();
		foreach ( array( 'ok', 'foreign', 'mismatch', 'soon', 'expired' ) as $label ) {
			wpt_raw_record( "$label.cw.example" );
		}
		$others = wpt_cw_others();
		$mark   = wpt_log_mark();
		$ids    = as_get_scheduled_actions(
			array(
				'hook'   => Closte_Native_Cert_Watch::HOOK,
				'group'  => Closte_Native_Cert_Watch::GROUP,
				'status' => ActionScheduler_Store::STATUS_PENDING,
			),
			'ids'
		);
		$before = time();
		ActionScheduler::runner()->process_action( reset( $ids ), 'closte-tests' );

		$results = Closte_Native_Cert_Watch::last_results();
		foreach ( array( 'ok', 'foreign', 'mismatch', 'soon', 'expired' ) as $label ) {
			assert_true( isset( $results[ "$label.cw.example" ] ), "result of $label" );
			foreach ( array( 'valid', 'error_code', 'error', 'not_after', 'checked_at', 'addresses' ) as $key ) {
				assert_true( array_key_exists( $key, $results[ "$label.cw.example" ] ), "$label has $key" );
			}
			assert_true( $results[ "$label.cw.example" ]['checked_at'] >= $before, "$label checked now" );
		}
		$ok = $results['ok.cw.example'];
		assert_same( true, $ok['valid'], 'ok valid' );
		assert_same( null, $ok['error_code'], 'ok error_code' );
		assert_same( null, $ok['error'], 'ok error' );
		assert_true( is_int( $ok['not_after'] ) && abs( $ok['not_after'] - ( time() + 40 * DAY_IN_SECONDS ) ) < 2 * HOUR_IN_SECONDS, 'ok not_after in 40 days' );
		assert_same( array( '127.0.0.1' ), $ok['addresses'], 'ok addresses' );
		assert_same( true, $ok['own'], 'ok points to the network' );
		assert_same( true, $results['foreign.cw.example']['valid'], 'foreign valid' );
		assert_same( array( '192.0.2.10' ), $results['foreign.cw.example']['addresses'], 'foreign addresses' );
		assert_same( false, $results['foreign.cw.example']['own'], 'foreign is not the network' );
		assert_same( true, $results['soon.cw.example']['valid'], 'soon still valid' );
		assert_true( $results['soon.cw.example']['not_after'] - time() < 6 * DAY_IN_SECONDS, 'soon not_after' );
		assert_same( false, $results['expired.cw.example']['valid'], 'expired valid' );
		assert_same( 'expired', $results['expired.cw.example']['error_code'], 'expired error_code' );
		assert_same( false, $results['mismatch.cw.example']['valid'], 'mismatch valid' );
		assert_same( 'name_mismatch', $results['mismatch.cw.example']['error_code'], 'mismatch error_code' );
		assert_contains( 'mismatch.cw.example', (string) $results['mismatch.cw.example']['error'], 'mismatch error' );

		// Compact: one option for all, a few hundred bytes a domain.
		$raw = get_network_option( null, Closte_Native_Cert_Watch::RESULTS_OPTION );
		assert_same( count( $results ), count( $raw ), 'one option holds every result' );
		$per_domain = strlen( serialize( $raw ) ) / count( $raw );
		assert_less_than( 400, $per_domain, 'serialized bytes per domain' );

		foreach ( array( 'soon', 'expired', 'mismatch' ) as $label ) {
			assert_same( 1, count( wpt_cw_lines( $mark, 'WARNING', "Certificate of $label.cw.example " ) ), "warning lines for $label" );
		}
		foreach ( array( 'ok', 'foreign' ) as $label ) {
			assert_same( 0, count( wpt_cw_lines( $mark, 'WARNING', "Certificate of $label.cw.example " ) ), "warning lines for $label" );
		}
		assert_contains( '(error_code expired; issuer CN=Closte Cert Watch Test CA', implode( "\n", wpt_cw_lines( $mark, 'WARNING', 'Certificate of expired.cw.example' ) ), 'the code in the line' );
		// Whole days left: 4, or 5 when the check ran within the second the certificate was made.
		assert_true( 1 === preg_match( '/expires in [45] day\(s\), on \d{4}-\d\d-\d\d \d\d:\d\d UTC/', implode( "\n", wpt_cw_lines( $mark, 'WARNING', 'Certificate of soon.cw.example' ) ) ), 'days left in the line' );
		$summary = wpt_cw_lines( $mark, 'WARNING', 'Certificate watch: checked' );
		assert_same( 1, count( $summary ), 'summary lines' );
		$total = 5 + count( $others );
		assert_contains( "checked $total of $total domain(s)", $summary[0], 'summary' );
		assert_contains( ( 2 + count( $others ) ) . ' not valid, 1 expiring within 14 days', $summary[0], 'summary' );
		assert_same( 3 + count( $others ) + 1, count( wpt_log_lines( $mark, 'WARNING' ) ), 'warning lines in all' );
		assert_same( 3 + count( $others ), Closte_Native_Cert_Watch::summary()['count'], 'problems in the notice summary' );
	}
);

closte_test(
	'one notice for every problem, for network admins only, dismissed per user with a nonce',
	function () {
		$html = wpt_cw_notice_as( 1 );
		assert_same( 1, substr_count( $html, 'class="notice' ), 'one notice' );
		foreach ( array( 'soon', 'expired', 'mismatch' ) as $label ) {
			assert_contains( "<code>$label.cw.example</code>", $html, 'notice' );
		}
		assert_not_contains( 'ok.cw.example', $html, 'notice' );
		assert_contains( 'action=' . Closte_Native_Cert_Watch::DISMISS_ACTION, $html, 'dismiss link' );
		assert_contains( '_wpnonce=', $html, 'dismiss nonce' );

		$plain = wp_insert_user(
			array(
				'user_login' => 'cw-plain',
				'user_pass'  => wp_generate_password(),
				'user_email' => 'cw-plain@example.test',
			)
		);
		assert_true( is_int( $plain ), 'user created' );
		assert_same( '', wpt_cw_notice_as( $plain ), 'notice for a plain user' );

		$other = wp_insert_user(
			array(
				'user_login' => 'cw-admin2',
				'user_pass'  => wp_generate_password(),
				'user_email' => 'cw-admin2@example.test',
			)
		);
		grant_super_admin( $other );
		wp_set_current_user( 1 );
		assert_same( 'die', wpt_cw_dismiss( 'not-a-nonce' ), 'without the nonce' );
		assert_contains( 'expired.cw.example', wpt_cw_notice_as( 1 ), 'still shown' );
		wp_set_current_user( 1 );
		assert_same( 'redirect', wpt_cw_dismiss( wp_create_nonce( Closte_Native_Cert_Watch::DISMISS_ACTION ) ), 'with the nonce' );
		assert_same( '', wpt_cw_notice_as( 1 ), 'for the admin who dismissed it' );
		assert_contains( 'expired.cw.example', wpt_cw_notice_as( $other ), 'for another network admin' );

		// The same problems the next day: still dismissed; a new one: shown again.
		wpt_cw_watch()->run( array( 'expired.cw.example' ) );
		assert_same( '', wpt_cw_notice_as( 1 ), 'same problems' );
		wpt_cw_watch()->run( array( 'gaveup2.cw.example' ) );
		assert_contains( 'gaveup2.cw.example', wpt_cw_notice_as( 1 ), 'a new problem' );
	}
);

closte_test(
	'ssl-failed in Ultimate Multisite\'s job: the certificate checked at once, why logged',
	function () {
		wpt_sim_reset();
		$record = wu_create_domain(
			array(
				'domain'  => 'gaveup.cw.example',
				'blog_id' => 1,
			)
		);
		assert_true( $record instanceof WP_Ultimo\Models\Domain, 'record created' );
		add_action(
			'wpt_cw_give_up',
			function ( $domain_id ) {
				// What the stage job does after its last try.
				$domain = wu_get_domain( $domain_id );
				$domain->set_stage( 'ssl-failed' );
				$domain->save();
			}
		);
		as_enqueue_async_action( 'wpt_cw_give_up', array( $record->get_id() ), 'domain' );
		$mark = wpt_log_mark();
		wpt_run_jobs();
		$why = wpt_cw_lines( $mark, 'WARNING', 'Ultimate Multisite gave up on the certificate of gaveup.cw.example' );
		assert_same( 1, count( $why ), 'why lines' );
		assert_contains( 'stage ssl-failed', $why[0], 'why' );
		assert_contains( 'The certificate is not valid: name mismatch: ', $why[0], 'the error' );
		assert_contains( '(error_code name_mismatch; ', $why[0], 'the code' );
		$result = Closte_Native_Cert_Watch::last_results()['gaveup.cw.example'];
		assert_same( 'name_mismatch', $result['error_code'], 'result kept' );
		assert_same( array(), wpt_pending_actions( Closte_Native_Cert_Watch::DOMAIN_HOOK ), 'nothing left for later' );
		assert_same(
			0,
			count(
				as_get_scheduled_actions(
					array(
						'hook'   => Closte_Native_Cert_Watch::DOMAIN_HOOK,
						'status' => ActionScheduler_Store::STATUS_PENDING,
					),
					'ids'
				)
			),
			'no one-domain job'
		);
	}
);

closte_test(
	'ssl-failed outside a job (an admin\'s edit): no check in the page view, a job checks it',
	function () {
		$id     = wpt_raw_record( 'gaveup2.cw.example' );
		$domain = wu_get_domain( $id );
		$domain->set_stage( 'checking-ssl-cert' );
		$domain->save();
		$mark = wpt_log_mark();
		$domain->set_stage( 'ssl-failed' );
		$domain->save();
		assert_same( array(), wpt_cw_lines( $mark, 'WARNING', 'gave up' ), 'no check in the page view' );
		$ids = as_get_scheduled_actions(
			array(
				'hook'   => Closte_Native_Cert_Watch::DOMAIN_HOOK,
				'args'   => array( 'gaveup2.cw.example' ),
				'group'  => Closte_Native_Cert_Watch::GROUP,
				'status' => ActionScheduler_Store::STATUS_PENDING,
			),
			'ids'
		);
		assert_same( 1, count( $ids ), 'a one-domain job' );
		ActionScheduler::runner()->process_action( reset( $ids ), 'closte-tests' );
		$why = wpt_cw_lines( $mark, 'WARNING', 'Ultimate Multisite gave up on the certificate of gaveup2.cw.example' );
		assert_same( 1, count( $why ), 'why lines' );
		assert_contains( 'The certificate is not valid: connection refused by 127.0.0.1:', $why[0], 'the error' );
		assert_contains( '(error_code refused)', $why[0], 'the code' );
	}
);

closte_test(
	'the time budget: the run stops in time, the domains it did not reach go first next run',
	function () {
		$hung = array();
		for ( $i = 0; $i < 6; $i++ ) {
			$hung[] = "hung-$i.cw.example";
		}
		$GLOBALS['wpt_cw_timeout'] = 1;
		$budget                    = function () {
			return 2.2;
		};
		add_filter( 'closte_native_cert_watch_budget', $budget );
		try {
			$mark    = wpt_log_mark();
			$started = microtime( true );
			$first   = wpt_cw_watch()->run( $hung );
			$spent   = microtime( true ) - $started;
			assert_less_than( 2.2 + 0.4, $spent, 'seconds the run took' );
			assert_true( $first['checked'] >= 1 && $first['left'] >= 1, 'some checked, some left: ' . wp_json_encode( $first ) );
			assert_same( 6, $first['checked'] + $first['left'], 'checked + left' );
			$results = Closte_Native_Cert_Watch::last_results();
			$done    = array_values( array_intersect( $hung, array_keys( $results ) ) );
			assert_same( $first['checked'], count( $done ), 'results of the first run' );
			assert_same( 'timeout', $results[ $done[0] ]['error_code'], 'a hung server is a timeout' );
			$summary = implode( "\n", wpt_cw_lines( $mark, 'WARNING', 'Certificate watch: checked' ) );
			assert_contains( '(budget 2.2 s)', $summary, 'summary' );
			assert_contains( $first['left'] . ' not reached, checked first next run', $summary, 'summary' );

			$mark   = wpt_log_mark();
			$second = wpt_cw_watch()->run( $hung );
			$again  = array();
			foreach ( $hung as $name ) {
				if ( wpt_cw_lines( $mark, 'WARNING', "Certificate of $name " ) ) {
					$again[] = $name;
				}
			}
			assert_same( $second['checked'], count( $again ), 'checked the second time' );
			assert_same( array(), array_values( array_intersect( $again, $done ) ), 'none of the first run\'s checked again before the others' );
		} finally {
			remove_filter( 'closte_native_cert_watch_budget', $budget );
			unset( $GLOBALS['wpt_cw_timeout'] );
		}
	}
);

closte_test(
	'a record Ultimate Multisite no longer has is dropped from the results',
	function () {
		wpt_drop_raw_record( 'foreign.cw.example' );
		wpt_cw_watch()->run();
		assert_false( isset( Closte_Native_Cert_Watch::last_results()['foreign.cw.example'] ), 'dropped' );
		assert_true( isset( Closte_Native_Cert_Watch::last_results()['ok.cw.example'] ), 'kept' );
		// Leaves the network as it found it.
		foreach ( array_keys( $GLOBALS['wpt_cw']['ports'] ) as $name ) {
			wpt_drop_raw_record( $name );
		}
		delete_network_option( null, Closte_Native_Cert_Watch::RESULTS_OPTION );
		delete_network_option( null, Closte_Native_Cert_Watch::SUMMARY_OPTION );
		delete_metadata( 'user', 0, Closte_Native_Cert_Watch::DISMISS_META, '', true );
	}
);

closte_test_run();
