<?php
/**
 * The certificate watch: every mapped domain's certificate checked daily,
 * in a job of its own.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Checks the certificate every domain Ultimate Multisite has a record of
 * presents (closte_ssl_status(), one domain at a time: the extension has no
 * bulk form of it), within a total time budget, in a daily Action Scheduler
 * job and never in a page view. Keeps each domain's last result, compact,
 * in one network option (a network has thousands of domains), with the
 * addresses the domain resolves to and whether they are the network's own.
 * Logs one warning per domain whose certificate is not valid or expires
 * soon, one summary line per run, and shows network admins one notice.
 * When Ultimate Multisite gives up on a domain's certificate (stage
 * ssl-failed), checks that domain at once and logs why.
 */
final class Closte_Native_Cert_Watch {

	/**
	 * The recurring job's hook.
	 */
	const HOOK = 'closte_native_cert_watch';

	/**
	 * The job checking one domain Ultimate Multisite gave up on, when that
	 * happened outside a job (an admin's edit): the check waits for a job.
	 */
	const DOMAIN_HOOK = 'closte_native_cert_watch_domain';

	/**
	 * Its Action Scheduler group, apart from the domain jobs' and the reconcile's.
	 */
	const GROUP = 'closte-native-certs';

	/**
	 * Network option: set once the schedule is in place (so the check is one cached read).
	 */
	const SCHEDULED_OPTION = 'closte_native_cert_watch_scheduled';

	/**
	 * Network option: domain => its last result (see compact()).
	 */
	const RESULTS_OPTION = 'closte_native_cert_results';

	/**
	 * Network option: what the notice needs, small, so that a network admin
	 * page never reads every domain's result.
	 */
	const SUMMARY_OPTION = 'closte_native_cert_summary';

	/**
	 * User meta: the problems (their hash) the user dismissed the notice for.
	 */
	const DISMISS_META = 'closte_native_cert_notice_dismissed';

	/**
	 * The dismissal action (network/edit.php?action=...) and nonce action.
	 */
	const DISMISS_ACTION = 'closte_native_dismiss_cert_notice';

	/**
	 * A certificate valid for fewer days than this is reported (filterable).
	 */
	const EXPIRY_DAYS = 14;

	/**
	 * The run's total budget in seconds (filterable).
	 */
	const BUDGET = 300;

	/**
	 * The seconds one check may take (the options filter may change it).
	 */
	const CHECK_TIMEOUT = 5;

	/**
	 * No check is started with less time than this left: it could only time out.
	 */
	const MIN_CHECK_SECONDS = 0.5;

	/**
	 * Addresses kept per domain: enough to tell where it points, bounded.
	 */
	const MAX_ADDRESSES = 4;

	/**
	 * Results are written at least this often during a run, so a run cut
	 * short (a killed PHP) keeps most of its work.
	 */
	const FLUSH_SECONDS = 10;

	/**
	 * At most this many characters of a check's error text are kept.
	 */
	const ERROR_MAX = 160;

	/**
	 * At most this many problem domains are named in the notice's summary.
	 */
	const SUMMARY_NAMED = 10;

	/**
	 * Logger.
	 *
	 * @var Closte_Native_Logger
	 */
	private $logger;

	/**
	 * How many Action Scheduler actions are executing now (0: not in a job).
	 *
	 * @var int
	 */
	private $job_depth = 0;

	/**
	 * The network's own addresses, resolved once per run.
	 *
	 * @var string[]|null
	 */
	private $own = null;

	/**
	 * Keeps the logger.
	 *
	 * @param Closte_Native_Logger $logger Logger (Closte_Native_Plugin::instance()->logger).
	 */
	public function __construct( Closte_Native_Logger $logger ) {
		$this->logger = $logger;
	}

	/**
	 * Registers the jobs' callbacks, the schedule, the stage hook and the notice.
	 *
	 * @return void
	 */
	public function register() {
		add_action( self::HOOK, array( $this, 'run_job' ) );
		add_action( self::DOMAIN_HOOK, array( $this, 'run_domain_job' ), 10, 1 );
		add_action( 'init', array( $this, 'ensure_schedule' ), 20 );
		add_action( 'wu_transition_domain_stage', array( $this, 'on_stage_change' ), 10, 3 );
		add_action( 'action_scheduler_begin_execute', array( $this, 'enter_job' ), 10, 0 );
		add_action( 'action_scheduler_after_execute', array( $this, 'leave_job' ), 10, 0 );
		add_action( 'action_scheduler_failed_execution', array( $this, 'leave_job' ), 10, 0 );
		add_action( 'network_admin_notices', array( $this, 'render_notice' ) );
		add_action( 'network_admin_edit_' . self::DISMISS_ACTION, array( $this, 'handle_dismiss' ) );
	}

	/**
	 * Schedules the daily run when it is not in place yet.
	 *
	 * @return void
	 */
	public function ensure_schedule() {
		if ( get_network_option( null, self::SCHEDULED_OPTION ) || ! function_exists( 'as_schedule_recurring_action' ) ) {
			return;
		}
		/**
		 * Filters how often the certificate watch runs, in seconds (default a day).
		 *
		 * @param int $seconds Seconds.
		 */
		$every = max( HOUR_IN_SECONDS, (int) apply_filters( 'closte_native_cert_watch_interval', DAY_IN_SECONDS ) );
		if ( ! as_has_scheduled_action( self::HOOK, array(), self::GROUP ) ) {
			as_schedule_recurring_action( time() + $every, $every, self::HOOK, array(), self::GROUP );
		}
		update_network_option( null, self::SCHEDULED_OPTION, 1 );
	}

	/**
	 * Removes the recurring job and any pending one-domain check
	 * (deactivation, uninstall); the next activation schedules it again.
	 *
	 * @return void
	 */
	public static function unschedule() {
		if ( function_exists( 'as_unschedule_all_actions' ) && class_exists( 'ActionScheduler', false ) && ActionScheduler::is_initialized() ) {
			// The whole group, which is this class's alone: the recurring job and every one-domain check, whatever its domain.
			as_unschedule_all_actions( '', array(), self::GROUP );
		}
		delete_network_option( null, self::SCHEDULED_OPTION );
	}

	/**
	 * Each domain's last result, as network options keep it: domain =>
	 * valid (bool), error_code (?string, closte_ssl_status()'s codes),
	 * error (?string), not_after (?int, unix time), checked_at (int, unix
	 * time), addresses (string[], what the name resolves to), own (?bool:
	 * whether those are the network's own addresses; null when unknown).
	 *
	 * @return array<string, array>
	 */
	public static function last_results() {
		$stored = get_network_option( null, self::RESULTS_OPTION, array() );
		$out    = array();
		foreach ( is_array( $stored ) ? $stored : array() as $domain => $entry ) {
			if ( is_array( $entry ) ) {
				$out[ (string) $domain ] = self::expand( $entry );
			}
		}
		return $out;
	}

	/**
	 * What the notice shows: the problems of the stored results.
	 *
	 * @return array{count: int, hash: string, problems: array, checked_at: int, total: int}
	 */
	public static function summary() {
		$summary = get_network_option( null, self::SUMMARY_OPTION, array() );
		return ( is_array( $summary ) ? $summary : array() ) + array(
			'count'      => 0,
			'hash'       => '',
			'problems'   => array(),
			'checked_at' => 0,
			'total'      => 0,
		);
	}

	/**
	 * The recurring job's callback.
	 *
	 * @return void
	 */
	public function run_job() {
		$this->run();
	}

	/**
	 * Checks now: the given domains, or every domain Ultimate Multisite has
	 * a record of, those checked longest ago (or never) first, until the
	 * time budget is spent.
	 *
	 * @param string[]|null $domains Domains; null: every mapped domain.
	 * @return array{checked: int, total: int, left: int, skipped: int, valid: int, invalid: int, expiring: int, problems: array<string,string>, seconds: float, budget: float, error: string}
	 *         problems: domain => error_code, or 'expiring', of this run's checks.
	 */
	public function run( ?array $domains = null ) {
		$started = microtime( true );
		/**
		 * Filters the certificate watch's total time budget per run, in
		 * seconds (default 300); the domains not reached are checked first
		 * the next run.
		 *
		 * @param int|float $seconds Seconds.
		 */
		$budget = max( 1.0, (float) apply_filters( 'closte_native_cert_watch_budget', self::BUDGET ) );
		$report = array(
			'checked'  => 0,
			'total'    => 0,
			'left'     => 0,
			'skipped'  => 0,
			'valid'    => 0,
			'invalid'  => 0,
			'expiring' => 0,
			'problems' => array(),
			'seconds'  => 0.0,
			'budget'   => $budget,
			'error'    => '',
		);
		if ( ! function_exists( 'closte_ssl_status' ) ) {
			$report['error'] = 'this build of the closte extension has no closte_ssl_status()';
			$this->logger->error( 'Certificate watch skipped: ' . $report['error'] . '.' );
			return $report;
		}
		$full = null === $domains;
		if ( $full ) {
			$domains = Closte_Native_Um_State::mapped_domains();
			if ( null === $domains ) {
				$report['error'] = 'Ultimate Multisite\'s domain records could not be read';
				$this->logger->error( 'Certificate watch skipped: ' . $report['error'] . '.' );
				return $report;
			}
		}
		$stored          = self::read_results( true );
		$domains         = self::order( array_values( array_unique( array_map( 'strtolower', array_map( 'strval', $domains ) ) ) ), $stored );
		$report['total'] = count( $domains );

		if ( class_exists( 'ActionScheduler_Compatibility', false ) ) {
			// Action Scheduler allows an action 30 s; a web runner's max_execution_time would end this run early.
			ActionScheduler_Compatibility::raise_time_limit( (int) ceil( $budget ) + MINUTE_IN_SECONDS );
		}
		$deadline   = $started + $budget;
		$days       = self::expiry_days();
		$this->own  = null;
		$fresh      = array();
		$last_flush = $started;
		foreach ( $domains as $i => $domain ) {
			if ( microtime( true ) + self::MIN_CHECK_SECONDS > $deadline ) {
				$report['left'] = count( $domains ) - $i;
				break;
			}
			try {
				$entry = $this->check( $domain, $deadline );
			} catch ( Closte\ConfigurationException $e ) {
				// The same options go to every check: the next domain would fail the same way.
				$report['error'] = $e->getMessage();
				$report['left']  = count( $domains ) - $i;
				$this->logger->error( 'Certificate watch stopped: ' . $report['error'] . ' (see the closte_native_cert_watch_options filter).' );
				break;
			}
			if ( null === $entry ) {
				++$report['skipped'];
				continue;
			}
			++$report['checked'];
			$problem = self::problem( $entry, time(), $days );
			if ( '' === $problem ) {
				++$report['valid'];
			} else {
				++$report[ 'expiring' === $problem ? 'expiring' : 'invalid' ];
				$report['problems'][ $domain ] = $problem;
				$this->logger->warning( $this->describe( $domain, $entry, $problem ) );
			}
			// The issuer is for the log line only: thousands of entries stay small without it.
			unset( $entry['issuer'] );
			$fresh[ $domain ] = $entry;
			if ( microtime( true ) - $last_flush >= self::FLUSH_SECONDS ) {
				self::save( $fresh, $full ? $domains : null );
				$fresh      = array();
				$last_flush = microtime( true );
			}
		}
		self::save( $fresh, $full ? $domains : null );
		$report['seconds'] = round( microtime( true ) - $started, 3 );

		$line = sprintf(
			'Certificate watch: checked %d of %d domain(s) in %.1f s (budget %s s): %d valid, %d not valid, %d expiring within %d days',
			$report['checked'],
			$report['total'],
			$report['seconds'],
			rtrim( rtrim( sprintf( '%.1f', $budget ), '0' ), '.' ),
			$report['valid'],
			$report['invalid'],
			$report['expiring'],
			$days
		);
		if ( $report['left'] ) {
			$line .= sprintf( '; %d not reached, checked first next run', $report['left'] );
		}
		if ( $report['skipped'] ) {
			$line .= sprintf( '; %d skipped (wildcards or names the extension refuses)', $report['skipped'] );
		}
		$this->logger->log( $report['problems'] ? 'warning' : 'info', $line . '.' );
		return $report;
	}

	/**
	 * On wu_transition_domain_stage: when Ultimate Multisite gives up on a
	 * domain's certificate, checks it and logs why. Its stage job is where
	 * that happens, so the check runs there; a change made elsewhere (an
	 * admin's edit, a page view) hands the check to a job of its own.
	 *
	 * @param string $old_stage The previous stage.
	 * @param string $new_stage The new stage.
	 * @param int    $domain_id The domain record's id.
	 * @return void
	 */
	public function on_stage_change( $old_stage, $new_stage, $domain_id ) {
		if ( 'ssl-failed' !== $new_stage || 'ssl-failed' === $old_stage ) {
			return;
		}
		$domain = self::record_name( $domain_id );
		if ( '' === $domain ) {
			return;
		}
		if ( $this->job_depth > 0 ) {
			$this->check_given_up( $domain );
			return;
		}
		if ( function_exists( 'as_enqueue_async_action' ) ) {
			as_enqueue_async_action( self::DOMAIN_HOOK, array( $domain ), self::GROUP );
		}
	}

	/**
	 * The one-domain job's callback.
	 *
	 * @param mixed $domain The domain.
	 * @return void
	 */
	public function run_domain_job( $domain ) {
		if ( is_string( $domain ) && '' !== $domain ) {
			$this->check_given_up( strtolower( $domain ) );
		}
	}

	/**
	 * On action_scheduler_begin_execute.
	 *
	 * @return void
	 */
	public function enter_job() {
		++$this->job_depth;
	}

	/**
	 * On action_scheduler_after_execute and action_scheduler_failed_execution.
	 *
	 * @return void
	 */
	public function leave_job() {
		$this->job_depth = max( 0, $this->job_depth - 1 );
	}

	/**
	 * Whether the current user should see the notice.
	 *
	 * @return bool
	 */
	public function should_show_notice() {
		$summary = self::summary();
		return $summary['count'] > 0
			&& is_multisite()
			&& current_user_can( 'manage_network_options' )
			&& get_user_meta( get_current_user_id(), self::DISMISS_META, true ) !== $summary['hash'];
	}

	/**
	 * The dismissal URL, with its nonce.
	 *
	 * @return string
	 */
	public function dismiss_url() {
		return wp_nonce_url( network_admin_url( 'edit.php?action=' . self::DISMISS_ACTION ), self::DISMISS_ACTION );
	}

	/**
	 * Prints the one notice about every problem (hooked on network_admin_notices).
	 *
	 * @return void
	 */
	public function render_notice() {
		if ( ! $this->should_show_notice() ) {
			return;
		}
		$summary = self::summary();
		$count   = (int) $summary['count'];
		echo '<div class="notice notice-warning"><p><strong>' . esc_html__( 'Closte Native for Ultimate Multisite', 'closte-native' ) . '</strong></p><p>';
		echo esc_html(
			sprintf(
				/* translators: 1: number of domains, 2: number of days. */
				_n(
					'%1$d mapped domain has a certificate that is not valid or expires within %2$d days:',
					'%1$d mapped domains have a certificate that is not valid or expires within %2$d days:',
					$count,
					'closte-native'
				),
				$count,
				self::expiry_days()
			)
		);
		echo '</p><ul>';
		foreach ( (array) $summary['problems'] as $problem ) {
			echo '<li><code>' . esc_html( (string) $problem['domain'] ) . '</code>: ' . esc_html( self::label( (string) $problem['code'], $problem['not_after'] ) ) . '</li>';
		}
		if ( $count > count( (array) $summary['problems'] ) ) {
			/* translators: %d: number of domains not listed. */
			echo '<li>' . esc_html( sprintf( __( 'and %d more.', 'closte-native' ), $count - count( (array) $summary['problems'] ) ) ) . '</li>';
		}
		echo '</ul><p>' . wp_kses(
			sprintf(
				/* translators: %s: log file name. */
				esc_html__( 'Each domain has a line with the reason in the %s log of Ultimate Multisite.', 'closte-native' ),
				'<code>integration-closte</code>'
			),
			array( 'code' => array() )
		) . '</p>';
		echo '<p><a href="' . esc_url( $this->dismiss_url() ) . '">' . esc_html__( 'Dismiss this notice', 'closte-native' ) . '</a></p></div>';
	}

	/**
	 * Dismisses the notice for the current user until the problems change,
	 * then goes back.
	 *
	 * @return void
	 */
	public function handle_dismiss() {
		check_admin_referer( self::DISMISS_ACTION );
		if ( ! current_user_can( 'manage_network_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'closte-native' ), '', array( 'response' => 403 ) );
		}
		$summary = self::summary();
		update_user_meta( get_current_user_id(), self::DISMISS_META, $summary['hash'] );
		$back = wp_get_referer();
		wp_safe_redirect( $back ? $back : network_admin_url() );
		exit;
	}

	/**
	 * Checks one domain Ultimate Multisite gave up on, keeps the result and
	 * logs why its certificate was not accepted.
	 *
	 * @param string $domain The domain.
	 * @return void
	 */
	private function check_given_up( $domain ) {
		$this->own = null;
		$prefix    = sprintf( 'Ultimate Multisite gave up on the certificate of %s (stage ssl-failed). ', $domain );
		if ( ! function_exists( 'closte_ssl_status' ) ) {
			$this->logger->warning( $prefix . 'It could not be checked: this build of the closte extension has no closte_ssl_status().' );
			return;
		}
		try {
			// One check, bounded by its own timeout only (the filter's, or CHECK_TIMEOUT).
			$entry = $this->check( $domain, microtime( true ) + MINUTE_IN_SECONDS );
		} catch ( Closte\ConfigurationException $e ) {
			$entry = null;
		}
		if ( null === $entry ) {
			$this->logger->warning( $prefix . 'It could not be checked: the closte extension refused the name or the check\'s options.' );
			return;
		}
		$problem = self::problem( $entry, time(), self::expiry_days() );
		self::save( array( $domain => array_diff_key( $entry, array( 'issuer' => true ) ) ), null );
		if ( '' === $problem ) {
			$this->logger->warning( $prefix . 'Checked now, it presents a valid certificate (' . $this->certificate_facts( $entry ) . '): it was probably issued after Ultimate Multisite\'s last try.' . $this->where( $entry ) );
			return;
		}
		$this->logger->warning( $prefix . 'Why, checked now: ' . $this->describe( $domain, $entry, $problem, false ) );
	}

	/**
	 * Checks one domain: its addresses, then its certificate.
	 *
	 * @param string $domain   The domain (lower case).
	 * @param float  $deadline Unix time (microtime) the check must end by.
	 * @return array|null The compact result; null for a name the extension refuses (a wildcard).
	 * @throws Closte\ConfigurationException A bad option from the options filter.
	 */
	private function check( $domain, $deadline ) {
		if ( '' === $domain || 0 === strpos( $domain, '*.' ) ) {
			return null;
		}
		/**
		 * Filters the options of the certificate watch's check of one domain,
		 * as closte_ssl_status() takes them: host (an address or name to
		 * connect to instead of resolving the domain; SNI and the name check
		 * still use the domain), port (default 443), ca_file (a PEM bundle to
		 * trust instead of the system's roots), timeout (seconds, default 5;
		 * never more than the run's budget has left).
		 *
		 * @param array  $options Options.
		 * @param string $domain  The domain checked.
		 */
		$options = (array) apply_filters( 'closte_native_cert_watch_options', array( 'timeout' => self::CHECK_TIMEOUT ), $domain );
		$timeout = isset( $options['timeout'] ) && is_numeric( $options['timeout'] ) ? (float) $options['timeout'] : 10.0;
		// A check never runs past the budget: the extension's timeout covers the whole handshake.
		$options['timeout'] = max( 0.1, min( $timeout, $deadline - microtime( true ) ) );
		try {
			$status = closte_ssl_status( $domain, $options );
		} catch ( Closte\InvalidDomainException $e ) {
			return null;
		}
		$addresses = array();
		// A name the extension could not resolve within its timeout is not asked again without one.
		if ( 'dns' !== $status['error_code'] ) {
			$addresses = self::resolve( $domain );
			if ( ! $addresses && empty( $options['host'] ) && ! empty( $status['address'] ) ) {
				$addresses = self::clean_addresses( array( self::host_of( (string) $status['address'] ) ) );
			}
		}
		return self::compact( $status, $addresses, $this->own_for( $addresses ) );
	}

	/**
	 * Whether these addresses are all the network's own; null when that
	 * cannot be told (no addresses, or none known for the network).
	 *
	 * @param string[] $addresses Addresses.
	 * @return bool|null
	 */
	private function own_for( array $addresses ) {
		if ( null === $this->own ) {
			$this->own = self::network_addresses();
		}
		if ( ! $addresses || ! $this->own ) {
			return null;
		}
		return ! array_diff( $addresses, $this->own );
	}

	/**
	 * The network's own addresses: what its main domain resolves to, and the
	 * filter's.
	 *
	 * @return string[]
	 */
	public static function network_addresses() {
		$network = function_exists( 'get_network' ) ? get_network() : null;
		$main    = $network ? (string) $network->domain : '';
		$found   = '' !== $main ? self::resolve( $main ) : array();
		/**
		 * Filters the network's own addresses (default what its main domain
		 * resolves to): a domain resolving only to these points to this
		 * network. Add the load balancer's or CDN's addresses here.
		 *
		 * @param string[] $addresses IPv4 and IPv6 addresses.
		 * @param string   $main      The network's main domain.
		 */
		$addresses = (array) apply_filters( 'closte_native_network_addresses', $found, $main );
		return self::clean_addresses( $addresses, PHP_INT_MAX );
	}

	/**
	 * What a name resolves to (A and AAAA), at most MAX_ADDRESSES of them.
	 *
	 * @param string $name A host name.
	 * @return string[]
	 */
	public static function resolve( $name ) {
		/**
		 * Short-circuits the resolution of a name by the certificate watch:
		 * return a list of addresses to use it instead of DNS.
		 *
		 * @param string[]|null $addresses Null to resolve.
		 * @param string        $name      The name.
		 */
		$pre = apply_filters( 'closte_native_cert_watch_pre_resolve', null, $name );
		if ( is_array( $pre ) ) {
			return self::clean_addresses( $pre );
		}
		// The hosts file, then DNS, as the system resolver does for every other lookup.
		$found = gethostbynamel( $name );
		$found = is_array( $found ) ? $found : array();
		if ( count( $found ) < self::MAX_ADDRESSES && function_exists( 'dns_get_record' ) ) {
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- a name without AAAA records is normal, not a warning for the PHP log.
			$records = @dns_get_record( $name, DNS_AAAA );
			foreach ( is_array( $records ) ? $records : array() as $record ) {
				if ( isset( $record['ipv6'] ) ) {
					$found[] = $record['ipv6'];
				}
			}
		}
		return self::clean_addresses( $found );
	}

	/**
	 * Valid addresses only, in one spelling each (IPv6 compressed), unique.
	 *
	 * @param array $addresses Addresses.
	 * @param int   $max       How many to keep.
	 * @return string[]
	 */
	private static function clean_addresses( array $addresses, $max = self::MAX_ADDRESSES ) {
		$out = array();
		foreach ( $addresses as $address ) {
			$address = trim( (string) $address, " \t[]" );
			if ( false === filter_var( $address, FILTER_VALIDATE_IP ) ) {
				continue;
			}
			$packed = inet_pton( $address );
			$out[]  = false === $packed ? $address : (string) inet_ntop( $packed );
		}
		return array_slice( array_values( array_unique( $out ) ), 0, $max );
	}

	/**
	 * The host part of an "ip:port" or "[ipv6]:port".
	 *
	 * @param string $address The address.
	 * @return string
	 */
	private static function host_of( $address ) {
		$colon = strrpos( $address, ':' );
		return trim( false === $colon ? $address : substr( $address, 0, $colon ), '[]' );
	}

	/**
	 * The compact form kept per domain: null and empty fields left out
	 * (expand() puts them back), the error text cut short, dates as unix
	 * time; the issuer too, which the callers log and do not keep.
	 *
	 * @param array     $status    closte_ssl_status()'s result.
	 * @param string[]  $addresses The addresses.
	 * @param bool|null $own       Whether they are the network's.
	 * @return array
	 */
	private static function compact( array $status, array $addresses, $own ) {
		$entry = array(
			'valid'      => ! empty( $status['valid'] ),
			'checked_at' => time(),
		);
		if ( ! $entry['valid'] ) {
			$entry['error_code'] = isset( $status['error_code'] ) ? (string) $status['error_code'] : 'handshake';
			$error               = preg_replace( '/[\x00-\x1F\x7F]+/', ' ', (string) ( isset( $status['error'] ) ? $status['error'] : '' ) );
			$entry['error']      = mb_strlen( $error, 'UTF-8' ) > self::ERROR_MAX ? mb_substr( $error, 0, self::ERROR_MAX, 'UTF-8' ) . '...' : $error;
		}
		$not_after = empty( $status['not_after'] ) ? false : strtotime( (string) $status['not_after'] );
		if ( false !== $not_after ) {
			$entry['not_after'] = $not_after;
		}
		if ( ! empty( $status['issuer'] ) ) {
			$entry['issuer'] = mb_substr( (string) $status['issuer'], 0, 80, 'UTF-8' );
		}
		if ( $addresses ) {
			$entry['addresses'] = $addresses;
		}
		if ( null !== $own ) {
			$entry['own'] = $own;
		}
		return $entry;
	}

	/**
	 * A stored entry with every key present.
	 *
	 * @param array $entry The compact entry.
	 * @return array
	 */
	private static function expand( array $entry ) {
		return array_merge(
			array(
				'valid'      => false,
				'error_code' => null,
				'error'      => null,
				'not_after'  => null,
				'checked_at' => 0,
				'addresses'  => array(),
				'own'        => null,
			),
			$entry
		);
	}

	/**
	 * What is wrong with a result: '' when nothing, 'expiring' for a valid
	 * certificate that ends within $days, else the check's error_code.
	 *
	 * @param array $entry The (compact) entry.
	 * @param int   $now   Unix time.
	 * @param int   $days  The expiry threshold.
	 * @return string
	 */
	private static function problem( array $entry, $now, $days ) {
		if ( empty( $entry['valid'] ) ) {
			return ! empty( $entry['error_code'] ) ? (string) $entry['error_code'] : 'handshake';
		}
		if ( isset( $entry['not_after'] ) && (int) $entry['not_after'] - $now < $days * DAY_IN_SECONDS ) {
			return 'expiring';
		}
		return '';
	}

	/**
	 * The warning line for a problem.
	 *
	 * @param string $domain  The domain.
	 * @param array  $entry   The compact entry.
	 * @param string $problem problem()'s answer.
	 * @param bool   $named   Whether to start with the domain's name.
	 * @return string
	 */
	private function describe( $domain, array $entry, $problem, $named = true ) {
		$start = $named ? sprintf( 'Certificate of %s ', $domain ) : 'The certificate ';
		if ( 'expiring' === $problem ) {
			$left = (int) floor( ( (int) $entry['not_after'] - time() ) / DAY_IN_SECONDS );
			$text = $start . sprintf( 'expires in %d day(s), on %s UTC%s: it should have been renewed by now.', $left, gmdate( 'Y-m-d H:i', (int) $entry['not_after'] ), isset( $entry['issuer'] ) ? ' (issuer ' . $entry['issuer'] . ')' : '' );
		} else {
			$facts = isset( $entry['issuer'] ) || isset( $entry['not_after'] ) ? '; ' . $this->certificate_facts( $entry ) : '';
			$text  = $start . sprintf( 'is not valid: %s (error_code %s%s).', rtrim( (string) $entry['error'], '.' ), $problem, $facts );
		}
		return $text . $this->where( $entry );
	}

	/**
	 * "issuer CN=..., not after 2027-01-11".
	 *
	 * @param array $entry The compact entry.
	 * @return string
	 */
	private function certificate_facts( array $entry ) {
		$facts = array();
		if ( isset( $entry['issuer'] ) ) {
			$facts[] = 'issuer ' . $entry['issuer'];
		}
		if ( isset( $entry['not_after'] ) ) {
			$facts[] = 'not after ' . gmdate( 'Y-m-d', (int) $entry['not_after'] );
		}
		return implode( ', ', $facts );
	}

	/**
	 * Where the domain points, for a log line: " It resolves to ...".
	 *
	 * @param array $entry The compact entry.
	 * @return string
	 */
	private function where( array $entry ) {
		if ( empty( $entry['addresses'] ) ) {
			return 'dns' === ( isset( $entry['error_code'] ) ? $entry['error_code'] : '' ) ? '' : ' Its addresses could not be resolved here.';
		}
		$list = implode( ', ', $entry['addresses'] );
		if ( ! isset( $entry['own'] ) ) {
			return sprintf( ' It resolves to %s (whether those are this network\'s is unknown: its main domain does not resolve here; see the closte_native_network_addresses filter).', $list );
		}
		if ( $entry['own'] ) {
			return sprintf( ' It resolves to %s, this network\'s address(es).', $list );
		}
		return sprintf( ' It resolves to %s, not only to this network\'s address(es) (%s): the certificate seen there may not be served by this network.', $list, implode( ', ', (array) $this->own ) );
	}

	/**
	 * The domains in checking order: never checked first, then those
	 * checked longest ago (the ones a run did not reach come first next time).
	 *
	 * @param string[] $domains Domains.
	 * @param array    $stored  The stored results.
	 * @return string[]
	 */
	private static function order( array $domains, array $stored ) {
		$when = array();
		foreach ( $domains as $domain ) {
			$when[ $domain ] = isset( $stored[ $domain ]['checked_at'] ) ? (int) $stored[ $domain ]['checked_at'] : 0;
		}
		// Stable on ties: the names in the order given.
		$rank = array_flip( $domains );
		usort(
			$domains,
			function ( $a, $b ) use ( $when, $rank ) {
				$by_time = $when[ $a ] <=> $when[ $b ];
				return 0 !== $by_time ? $by_time : $rank[ $a ] <=> $rank[ $b ];
			}
		);
		return $domains;
	}

	/**
	 * The stored results.
	 *
	 * @param bool $fresh Read from the database, not from this process's cache.
	 * @return array<string, array>
	 */
	private static function read_results( $fresh ) {
		if ( $fresh ) {
			// Another process (Ultimate Multisite's stage job) may have written since this one read.
			$network = get_current_network_id();
			wp_cache_delete( $network . ':' . self::RESULTS_OPTION, 'site-options' );
			wp_cache_delete( $network . ':notoptions', 'site-options' );
		}
		$stored = get_network_option( null, self::RESULTS_OPTION, array() );
		return is_array( $stored ) ? $stored : array();
	}

	/**
	 * Writes new results into the stored ones (the newer check of a domain
	 * wins, so a concurrent one-domain check is not undone), drops the
	 * domains Ultimate Multisite no longer has when the full list is known,
	 * and the notice's summary.
	 *
	 * @param array         $fresh  Domain => compact entry.
	 * @param string[]|null $mapped Every mapped domain, or null.
	 * @return void
	 */
	private static function save( array $fresh, $mapped ) {
		$stored = self::read_results( true );
		foreach ( $fresh as $domain => $entry ) {
			if ( ! isset( $stored[ $domain ]['checked_at'] ) || (int) $stored[ $domain ]['checked_at'] <= (int) $entry['checked_at'] ) {
				$stored[ $domain ] = $entry;
			}
		}
		if ( null !== $mapped ) {
			$stored = array_intersect_key( $stored, array_flip( $mapped ) );
		}
		update_network_option( null, self::RESULTS_OPTION, $stored );
		update_network_option( null, self::SUMMARY_OPTION, self::summarize( $stored ) );
	}

	/**
	 * The notice's summary of the stored results.
	 *
	 * @param array $stored Domain => compact entry.
	 * @return array
	 */
	private static function summarize( array $stored ) {
		$now      = time();
		$days     = self::expiry_days();
		$problems = array();
		foreach ( $stored as $domain => $entry ) {
			$problem = self::problem( (array) $entry, $now, $days );
			if ( '' !== $problem ) {
				$problems[ (string) $domain ] = array(
					'domain'    => (string) $domain,
					'code'      => $problem,
					'not_after' => isset( $entry['not_after'] ) ? (int) $entry['not_after'] : null,
				);
			}
		}
		ksort( $problems );
		$signature = array();
		foreach ( $problems as $domain => $problem ) {
			$signature[] = $domain . '=' . $problem['code'];
		}
		return array(
			'count'      => count( $problems ),
			// A new problem shows the notice again to those who dismissed the old ones.
			'hash'       => $problems ? md5( implode( "\n", $signature ) ) : '',
			'problems'   => array_values( array_slice( $problems, 0, self::SUMMARY_NAMED ) ),
			'checked_at' => $now,
			'total'      => count( $stored ),
		);
	}

	/**
	 * The expiry threshold in days.
	 *
	 * @return int
	 */
	private static function expiry_days() {
		/**
		 * Filters how many days before it ends a certificate is reported as
		 * expiring (default 14).
		 *
		 * @param int $days Days.
		 */
		return max( 1, (int) apply_filters( 'closte_native_cert_watch_expiry_days', self::EXPIRY_DAYS ) );
	}

	/**
	 * A domain record's name, from Ultimate Multisite's table.
	 *
	 * @param int $domain_id The record's id.
	 * @return string
	 */
	private static function record_name( $domain_id ) {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- the row just written: no cache may answer for it.
		$name = $wpdb->get_var( $wpdb->prepare( 'SELECT domain FROM %i WHERE id = %d', $wpdb->base_prefix . 'wu_domain_mappings', (int) $domain_id ) );
		return strtolower( trim( (string) $name ) );
	}

	/**
	 * A short text for the notice.
	 *
	 * @param string   $code      problem()'s answer.
	 * @param int|null $not_after Unix time.
	 * @return string
	 */
	private static function label( $code, $not_after ) {
		$labels = array(
			'expired'         => __( 'expired', 'closte-native' ),
			'not_yet_valid'   => __( 'not valid yet', 'closte-native' ),
			'name_mismatch'   => __( 'issued for another name', 'closte-native' ),
			'self_signed'     => __( 'self-signed', 'closte-native' ),
			'unknown_issuer'  => __( 'issued by an authority browsers do not trust', 'closte-native' ),
			'bad_certificate' => __( 'a malformed certificate', 'closte-native' ),
			'refused'         => __( 'the connection was refused', 'closte-native' ),
			'timeout'         => __( 'no answer in time', 'closte-native' ),
			'dns'             => __( 'the name does not resolve', 'closte-native' ),
			'handshake'       => __( 'the TLS handshake failed', 'closte-native' ),
		);
		if ( 'expiring' === $code && $not_after ) {
			/* translators: %s: a date. */
			return sprintf( __( 'expires on %s', 'closte-native' ), wp_date( get_option( 'date_format' ), (int) $not_after ) );
		}
		return isset( $labels[ $code ] ) ? $labels[ $code ] : $code;
	}
}
