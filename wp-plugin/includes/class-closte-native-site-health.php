<?php
/**
 * Closte's checks and facts in WordPress's Site Health screen.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Adds six tests to Tools > Site Health (the extension, the key, whether
 * Closte accepts it, domains stuck in ssl-failed, certificates, drift
 * between Ultimate Multisite's records and Closte's aliases) and a
 * "Closte" section to its Info tab. On multisite both appear on the main
 * site only: they describe the whole network, and the main site is where
 * its domain jobs run. The two tests that call Closte are asynchronous
 * (a REST endpoint each), so that a slow Closte never holds the page up.
 * Nothing here ever shows the API key: the Info tab gives its last 4
 * characters, marked private (left out of the text copied for support).
 */
final class Closte_Native_Site_Health {

	/**
	 * The oldest extension this plugin works with (closte_version() without its build suffix).
	 */
	const MIN_EXTENSION_VERSION = '0.2.0';

	/**
	 * The REST namespace of the asynchronous tests.
	 */
	const REST_NAMESPACE = 'closte-native/v1';

	/**
	 * Route of the "key accepted" test.
	 */
	const ROUTE_KEY = '/site-health/key-accepted';

	/**
	 * Route of the drift test.
	 */
	const ROUTE_DRIFT = '/site-health/domain-drift';

	/**
	 * Who may run the tests: WordPress's own Site Health capability.
	 */
	const CAPABILITY = 'view_site_health_checks';

	/**
	 * Site transient holding the last connection test.
	 */
	const KEY_TRANSIENT = 'closte_native_health_key_test';

	/**
	 * How long a connection test answers for the next page loads: each one
	 * is a request to Closte, and the page may be reloaded often.
	 */
	const KEY_CACHE_SECONDS = 600;

	/**
	 * Certificates expiring sooner than this are flagged.
	 */
	const CERT_WARN_DAYS = 14;

	/**
	 * At most this many names are listed per finding.
	 */
	const LIST_LIMIT = 10;

	/**
	 * How many ssl-failed records are read.
	 */
	const SSL_FAILED_LIMIT = 100;

	/**
	 * The Info tab's section id.
	 */
	const DEBUG_SECTION = 'closte-native';

	/**
	 * The plugin, for its state.
	 *
	 * @var Closte_Native_Plugin
	 */
	private $plugin;

	/**
	 * Keeps the plugin.
	 *
	 * @param Closte_Native_Plugin $plugin The plugin.
	 */
	public function __construct( Closte_Native_Plugin $plugin ) {
		$this->plugin = $plugin;
	}

	/**
	 * Hooks the tests, the Info section and the REST routes. Registered on
	 * every request: WordPress's weekly Site Health cron asks for the tests
	 * outside wp-admin too.
	 *
	 * @return void
	 */
	public function register() {
		add_filter( 'site_status_tests', array( $this, 'add_tests' ) );
		add_filter( 'debug_information', array( $this, 'add_debug_information' ) );
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Whether this site shows the network's Closte checks.
	 *
	 * @return bool
	 */
	private static function on_this_site() {
		return ! is_multisite() || is_main_site();
	}

	/**
	 * Adds the tests (filter site_status_tests).
	 *
	 * @param array $tests The tests, 'direct' and 'async'.
	 * @return array
	 */
	public function add_tests( $tests ) {
		if ( ! is_array( $tests ) || ! self::on_this_site() ) {
			return $tests;
		}
		$tests += array(
			'direct' => array(),
			'async'  => array(),
		);

		$tests['direct']['closte_native_extension']    = array(
			'label' => __( 'The closte PHP extension', 'closte-native' ),
			'test'  => array( $this, 'test_extension' ),
		);
		$tests['direct']['closte_native_key']          = array(
			'label' => __( 'A Closte API key', 'closte-native' ),
			'test'  => array( $this, 'test_key' ),
		);
		$tests['direct']['closte_native_ssl_failed']   = array(
			'label' => __( 'Domains without an SSL certificate', 'closte-native' ),
			'test'  => array( $this, 'test_ssl_failed' ),
		);
		$tests['direct']['closte_native_certificates'] = array(
			'label' => __( 'Certificates of the mapped domains', 'closte-native' ),
			'test'  => array( $this, 'test_certificates' ),
		);

		$tests['async']['closte_native_key_accepted'] = array(
			'label'             => __( 'Closte accepts the API key', 'closte-native' ),
			'test'              => rest_url( self::REST_NAMESPACE . self::ROUTE_KEY ),
			'has_rest'          => true,
			'async_direct_test' => array( $this, 'test_key_accepted' ),
		);
		$tests['async']['closte_native_drift']        = array(
			'label'             => __( 'Domain records and Closte aliases', 'closte-native' ),
			'test'              => rest_url( self::REST_NAMESPACE . self::ROUTE_DRIFT ),
			'has_rest'          => true,
			'async_direct_test' => array( $this, 'test_drift' ),
		);
		return $tests;
	}

	/**
	 * Registers the two asynchronous tests' endpoints.
	 *
	 * @return void
	 */
	public function register_routes() {
		register_rest_route(
			self::REST_NAMESPACE,
			self::ROUTE_KEY,
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( $this, 'rest_key_accepted' ),
				'permission_callback' => array( $this, 'can_view' ),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			self::ROUTE_DRIFT,
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( $this, 'rest_drift' ),
				'permission_callback' => array( $this, 'can_view' ),
			)
		);
	}

	/**
	 * The endpoints' permission check: the same capability as the Site Health screen.
	 *
	 * @return bool
	 */
	public function can_view() {
		return current_user_can( self::CAPABILITY );
	}

	/**
	 * REST callback of the "key accepted" test.
	 *
	 * @return WP_REST_Response
	 */
	public function rest_key_accepted() {
		return rest_ensure_response( $this->test_key_accepted() );
	}

	/**
	 * REST callback of the drift test.
	 *
	 * @return WP_REST_Response
	 */
	public function rest_drift() {
		return rest_ensure_response( $this->test_drift() );
	}

	/**
	 * Test 1: the extension is loaded and recent enough.
	 *
	 * @return array A Site Health test result.
	 */
	public function test_extension() {
		$test = 'closte_native_extension';
		if ( ! function_exists( 'closte_version' ) || ! Closte_Native_Plugin::extension_available() ) {
			return self::result(
				$test,
				'recommended',
				__( 'The closte PHP extension is not loaded', 'closte-native' ),
				array(
					__( 'closte-native hands Ultimate Multisite\'s domain events to Closte through the closte PHP extension. It is not loaded in the PHP that serves this site, so closte-native does nothing, and Ultimate Multisite\'s built-in Closte integration handles the domains without the native path\'s retries when Closte is briefly unreachable.', 'closte-native' ),
					__( 'Add extension=closte.so to the php.ini of the PHP that serves WordPress (PHP-FPM or the web server\'s PHP module), then restart that PHP.', 'closte-native' ),
				)
			);
		}
		$full    = self::extension_version();
		$version = self::base_version( $full );
		if ( null === $version ) {
			return self::result(
				$test,
				'recommended',
				__( 'The closte PHP extension reports a version closte-native does not recognise', 'closte-native' ),
				array(
					/* translators: 1: the version the extension reports, 2: the minimum version. */
					sprintf( __( 'closte_version() returned "%1$s"; closte-native needs version %2$s or later.', 'closte-native' ), $full, self::MIN_EXTENSION_VERSION ),
				)
			);
		}
		if ( version_compare( $version, self::MIN_EXTENSION_VERSION, '<' ) ) {
			return self::result(
				$test,
				'critical',
				__( 'The closte PHP extension is too old for closte-native', 'closte-native' ),
				array(
					/* translators: 1: the loaded version, 2: this plugin's version, 3: the minimum version. */
					sprintf( __( 'Version %1$s is loaded; closte-native %2$s needs version %3$s or later, and may call functions this version lacks.', 'closte-native' ), $full, CLOSTE_NATIVE_VERSION, self::MIN_EXTENSION_VERSION ),
					__( 'Install the newer extension (the one released with this plugin), then restart PHP.', 'closte-native' ),
				)
			);
		}
		return self::result(
			$test,
			'good',
			/* translators: %s: the extension's version. */
			sprintf( __( 'The closte PHP extension is loaded (version %s)', 'closte-native' ), $version ),
			array(
				/* translators: 1: the loaded version, 2: the minimum version. */
				sprintf( __( 'Version %1$s is loaded; closte-native needs version %2$s or later.', 'closte-native' ), $full, self::MIN_EXTENSION_VERSION ),
			)
		);
	}

	/**
	 * Test 2: a key is configured, and where it comes from.
	 *
	 * @return array A Site Health test result.
	 */
	public function test_key() {
		$test   = 'closte_native_key';
		$source = Closte_Native_Key::source();
		if ( '' === $source ) {
			// Without a key neither closte-native nor Ultimate Multisite's own integration reaches Closte.
			return self::result(
				$test,
				Closte_Native_Plugin::integration_enabled() ? 'critical' : 'recommended',
				__( 'No Closte API key is configured', 'closte-native' ),
				array(
					__( 'Domains mapped in Ultimate Multisite cannot be added to Closte without the app\'s API key.', 'closte-native' ),
					__( 'Define CLOSTE_CLIENT_API_KEY in wp-config.php (Closte\'s hosting does so), or enter the key in Ultimate Multisite\'s Closte integration settings.', 'closte-native' ),
				)
			);
		}
		$where = 'constant' === $source
			? __( 'from the CLOSTE_CLIENT_API_KEY constant in wp-config.php', 'closte-native' )
			: __( 'saved in Ultimate Multisite\'s Closte integration settings', 'closte-native' );
		$hint  = Closte_Native_Key::hint();
		return self::result(
			$test,
			'good',
			__( 'A Closte API key is configured', 'closte-native' ),
			array(
				'' === $hint
					/* translators: %s: where the key comes from. */
					? sprintf( __( 'The key is %s.', 'closte-native' ), $where )
					/* translators: 1: the key's last 4 characters, 2: where the key comes from. */
					: sprintf( __( 'The key, ending in …%1$s, is %2$s.', 'closte-native' ), $hint, $where ),
			)
		);
	}

	/**
	 * Test 3 (asynchronous): Closte accepts the key. The answer is kept for
	 * KEY_CACHE_SECONDS, tied to the key and the API URL it was asked with.
	 *
	 * @return array A Site Health test result.
	 */
	public function test_key_accepted() {
		$test = 'closte_native_key_accepted';
		if ( ! $this->plugin->is_active() ) {
			return $this->not_checked( $test, __( 'Closte\'s answer to the API key was not asked for', 'closte-native' ) );
		}
		$fingerprint = self::key_fingerprint();
		$cached      = get_site_transient( self::KEY_TRANSIENT );
		if ( is_array( $cached ) && isset( $cached['fingerprint'], $cached['ok'], $cached['kind'], $cached['message'], $cached['checked_at'], $cached['api_url'] ) && $fingerprint === $cached['fingerprint'] ) {
			$answer = $cached;
		} else {
			$answer = self::ask_closte();
			// The fingerprint is a salted hash: no part of the key is stored.
			$answer['fingerprint'] = $fingerprint;
			set_site_transient( self::KEY_TRANSIENT, $answer, self::KEY_CACHE_SECONDS );
		}

		$minutes = (int) ( self::KEY_CACHE_SECONDS / MINUTE_IN_SECONDS );
		$asked   = sprintf(
			/* translators: 1: the API URL, 2: how long ago, e.g. "2 mins", 3: minutes. */
			_n( 'Asked %1$s %2$s ago; the answer is kept for %3$d minute.', 'Asked %1$s %2$s ago; the answer is kept for %3$d minutes.', $minutes, 'closte-native' ),
			(string) $answer['api_url'],
			human_time_diff( (int) $answer['checked_at'], time() ),
			$minutes
		);
		if ( $answer['ok'] ) {
			return self::result(
				$test,
				'good',
				__( 'Closte accepts the API key', 'closte-native' ),
				array( (string) $answer['message'], $asked )
			);
		}
		$labels = array(
			'refused'   => __( 'Closte refuses the API key', 'closte-native' ),
			'transport' => __( 'Closte could not be reached', 'closte-native' ),
			'error'     => __( 'The connection test could not run', 'closte-native' ),
		);
		$advice = array(
			'refused'   => __( 'Check the key in Closte\'s dashboard against the one configured here: until Closte accepts it, no domain alias is added or removed.', 'closte-native' ),
			'transport' => __( 'Domain changes are retried while Closte is unreachable. If this lasts, check this server\'s outgoing connections (firewall, proxy, the closte.api_url setting).', 'closte-native' ),
			'error'     => __( 'Check the closte.* settings in php.ini and the key\'s configuration.', 'closte-native' ),
		);
		$kind   = isset( $labels[ $answer['kind'] ] ) ? $answer['kind'] : 'error';
		return self::result(
			$test,
			'critical',
			$labels[ $kind ],
			array( (string) $answer['message'], $advice[ $kind ], $asked )
		);
	}

	/**
	 * One connection test, reduced to what may be stored: ok, kind
	 * (ok|refused|transport|error), message, checked_at, api_url (without
	 * user info or query).
	 *
	 * @return array
	 */
	private static function ask_closte() {
		$options = Closte_Native_Request_Options::build( 'test' );
		$answer  = array(
			'ok'         => false,
			'kind'       => 'error',
			'message'    => '',
			'checked_at' => time(),
			'api_url'    => self::public_url( Closte_Native_Request_Options::api_url( $options ) ),
		);
		try {
			$result            = closte_test_connection( $options );
			$answer['ok']      = ! empty( $result['ok'] );
			$answer['message'] = isset( $result['message'] ) ? (string) $result['message'] : '';
			if ( ! $answer['ok'] ) {
				// Closte's own words (api_error) mean it answered and said no; none means no answer came.
				$answer['kind'] = isset( $result['api_error'] ) && null !== $result['api_error'] ? 'refused' : 'transport';
			} else {
				$answer['kind'] = 'ok';
			}
		} catch ( Throwable $e ) {
			$answer['message'] = get_class( $e ) . ': ' . $e->getMessage();
		}
		return $answer;
	}

	/**
	 * What a cached connection test stands for: the key and the API URL.
	 *
	 * @return string
	 */
	private static function key_fingerprint() {
		return wp_hash( Closte_Native_Key::source() . "\n" . Closte_Native_Key::value() . "\n" . Closte_Native_Request_Options::api_url( Closte_Native_Request_Options::build( 'test' ) ) );
	}

	/**
	 * Test 4: domain records Ultimate Multisite gave up on at the certificate stage.
	 *
	 * @return array A Site Health test result.
	 */
	public function test_ssl_failed() {
		$test = 'closte_native_ssl_failed';
		if ( ! function_exists( 'wu_get_domains' ) ) {
			return self::um_missing( $test );
		}
		$names = array();
		foreach ( (array) wu_get_domains(
			array(
				'stage'  => 'ssl-failed',
				'number' => self::SSL_FAILED_LIMIT,
			)
		) as $record ) {
			if ( is_object( $record ) && method_exists( $record, 'get_domain' ) ) {
				$names[] = (string) $record->get_domain();
			}
		}
		if ( ! $names ) {
			return self::result(
				$test,
				'good',
				__( 'No domain is stuck without an SSL certificate', 'closte-native' ),
				array( __( 'No domain record of Ultimate Multisite is in the ssl-failed stage.', 'closte-native' ) )
			);
		}
		sort( $names );
		$count = count( $names );
		$label = self::SSL_FAILED_LIMIT <= $count
			/* translators: %d: a number of domains (the most read). */
			? sprintf( __( '%d or more domains have no SSL certificate', 'closte-native' ), $count )
			/* translators: %d: number of domains. */
			: sprintf( _n( '%d domain has no SSL certificate', '%d domains have no SSL certificate', $count, 'closte-native' ), $count );
		return self::result(
			$test,
			'recommended',
			$label,
			array( __( 'Ultimate Multisite stopped checking these domains at the certificate stage (ssl-failed): their sites are not served over HTTPS.', 'closte-native' ) ),
			self::name_list( $names ),
			array( __( 'Closte issues a certificate once a domain\'s DNS points at the app: check each domain\'s DNS records, then run Ultimate Multisite\'s checks again for it.', 'closte-native' ) )
		);
	}

	/**
	 * Test 5: the certificates the certificate watch checked last.
	 *
	 * @return array A Site Health test result.
	 */
	public function test_certificates() {
		return $this->certificates_result( self::cert_results() );
	}

	/**
	 * The certificate watch's last results, or null when there is no watch.
	 *
	 * @return array|null Domain => array( valid, error_code, error, not_after ).
	 */
	private static function cert_results() {
		if ( ! class_exists( 'Closte_Native_Cert_Watch' ) || ! is_callable( array( 'Closte_Native_Cert_Watch', 'last_results' ) ) ) {
			return null;
		}
		$results = call_user_func( array( 'Closte_Native_Cert_Watch', 'last_results' ) );
		return is_array( $results ) ? $results : array();
	}

	/**
	 * Test 5's result for a set of certificate checks.
	 *
	 * @param array|null $results Domain => array( 'valid' => bool, 'error_code' => ?string,
	 *                            'error' => ?string, 'not_after' => int|null (a timestamp) ),
	 *                            or null when no check can have run.
	 * @param int|null   $now     The time to count days from (default now).
	 * @return array A Site Health test result.
	 */
	public function certificates_result( $results, $now = null ) {
		$test = 'closte_native_certificates';
		$now  = null === $now ? time() : (int) $now;
		if ( empty( $results ) || ! is_array( $results ) ) {
			return self::result(
				$test,
				'recommended',
				__( 'No certificate check has run yet', 'closte-native' ),
				array( __( 'closte-native has no result of a certificate check of the mapped domains yet, so invalid or expiring certificates cannot be reported here. The Closte page checks each domain\'s certificate on demand.', 'closte-native' ) )
			);
		}
		$invalid  = array();
		$expiring = array();
		foreach ( $results as $domain => $check ) {
			$check = is_array( $check ) ? $check : array();
			$until = self::timestamp( isset( $check['not_after'] ) ? $check['not_after'] : null );
			if ( empty( $check['valid'] ) ) {
				$why = '';
				if ( ! empty( $check['error'] ) ) {
					$why = (string) $check['error'];
				} elseif ( ! empty( $check['error_code'] ) ) {
					$why = (string) $check['error_code'];
				}
				$invalid[] = '' === $why
					? (string) $domain
					/* translators: 1: a domain, 2: why its certificate is not valid. */
					: sprintf( __( '%1$s: %2$s', 'closte-native' ), $domain, $why );
				continue;
			}
			if ( null !== $until && $until - $now < self::CERT_WARN_DAYS * DAY_IN_SECONDS ) {
				$days       = max( 0, (int) floor( ( $until - $now ) / DAY_IN_SECONDS ) );
				$expiring[] = sprintf(
					/* translators: 1: a domain, 2: number of days, 3: the expiry date. */
					_n( '%1$s: expires in %2$d day (%3$s)', '%1$s: expires in %2$d days (%3$s)', $days, 'closte-native' ),
					$domain,
					$days,
					gmdate( 'Y-m-d H:i', $until ) . ' UTC'
				);
			}
		}
		sort( $invalid );
		sort( $expiring );
		$total = count( $results );
		if ( ! $invalid && ! $expiring ) {
			return self::result(
				$test,
				'good',
				__( 'The mapped domains\' certificates are valid', 'closte-native' ),
				array(
					/* translators: 1: number of certificates, 2: number of days. */
					sprintf( _n( 'The %1$d certificate checked last is valid for at least %2$d more days.', 'All %1$d certificates checked last are valid for at least %2$d more days.', $total, 'closte-native' ), $total, self::CERT_WARN_DAYS ),
				)
			);
		}
		$paragraphs = array();
		$lists      = array();
		if ( $invalid ) {
			/* translators: %d: number of certificates. */
			$paragraphs[] = sprintf( _n( '%d certificate is not valid: visitors of that domain see a browser warning.', '%d certificates are not valid: visitors of those domains see a browser warning.', count( $invalid ), 'closte-native' ), count( $invalid ) );
			$lists[]      = self::name_list( $invalid );
		}
		if ( $expiring ) {
			/* translators: 1: number of certificates, 2: number of days. */
			$paragraphs[] = sprintf( _n( '%1$d certificate expires within %2$d days: Closte renews certificates by itself, unless the domain stopped pointing at the app.', '%1$d certificates expire within %2$d days: Closte renews certificates by itself, unless the domain stopped pointing at the app.', count( $expiring ), 'closte-native' ), count( $expiring ), self::CERT_WARN_DAYS );
			$lists[]      = self::name_list( $expiring );
		}
		$label = $invalid
			/* translators: %d: number of certificates. */
			? sprintf( _n( '%d mapped domain has an invalid certificate', '%d mapped domains have an invalid certificate', count( $invalid ), 'closte-native' ), count( $invalid ) )
			/* translators: %d: number of certificates. */
			: sprintf( _n( '%d certificate expires soon', '%d certificates expire soon', count( $expiring ), 'closte-native' ), count( $expiring ) );
		return self::result(
			$test,
			$invalid ? 'critical' : 'recommended',
			$label,
			$paragraphs,
			implode( '', $lists ),
			array( __( 'Check that each domain\'s DNS points at the Closte app; the Closte page shows each certificate\'s details.', 'closte-native' ) )
		);
	}

	/**
	 * A timestamp from an int or an ISO 8601 date, null when there is none.
	 *
	 * @param mixed $value The value.
	 * @return int|null
	 */
	private static function timestamp( $value ) {
		if ( is_int( $value ) || ( is_string( $value ) && ctype_digit( $value ) ) ) {
			return (int) $value;
		}
		if ( is_string( $value ) && '' !== $value ) {
			$time = strtotime( $value );
			return false === $time ? null : $time;
		}
		return null;
	}

	/**
	 * Test 6 (asynchronous): Ultimate Multisite's records against Closte's aliases.
	 *
	 * @return array A Site Health test result.
	 */
	public function test_drift() {
		$test = 'closte_native_drift';
		if ( ! $this->plugin->is_active() ) {
			return $this->not_checked( $test, __( 'Domain records and Closte aliases were not compared', 'closte-native' ) );
		}
		$records = Closte_Native_Um_State::mapped_domains();
		if ( null === $records ) {
			return self::um_missing( $test );
		}
		try {
			$aliases = closte_list_domains( Closte_Native_Request_Options::build( 'list' ) );
		} catch ( Throwable $e ) {
			return self::result(
				$test,
				'recommended',
				__( 'Domain records and Closte aliases could not be compared', 'closte-native' ),
				array(
					/* translators: %s: the error. */
					sprintf( __( 'Closte\'s aliases could not be listed: %s', 'closte-native' ), get_class( $e ) . ': ' . $e->getMessage() ),
				)
			);
		}
		$drift = self::drift( $records, (array) $aliases );
		$links = array( __( 'On the Closte page, "Sync now" adds the missing aliases, and "Review extra aliases…" lists the extra ones before anything is removed.', 'closte-native' ) );
		if ( ! $drift['missing'] && ! $drift['extra'] ) {
			return self::result(
				$test,
				'good',
				__( 'Ultimate Multisite\'s domain records and Closte\'s aliases agree', 'closte-native' ),
				array(
					/* translators: %d: number of domain records. */
					sprintf( _n( 'The %d domain record has its alias on Closte, and Closte has no alias that no record wants.', 'All %d domain records have their alias on Closte, and Closte has no alias that no record wants.', $drift['records'], 'closte-native' ), $drift['records'] ),
				)
			);
		}
		// Each paragraph next to its list of names.
		$description = '';
		$missing     = count( $drift['missing'] );
		$extra       = count( $drift['extra'] );
		if ( $missing ) {
			/* translators: %d: number of domain records. */
			$description .= '<p>' . esc_html( sprintf( _n( '%d domain record has no alias on Closte: Closte does not serve that domain.', '%d domain records have no alias on Closte: Closte does not serve those domains.', $missing, 'closte-native' ), $missing ) ) . '</p>' . self::name_list( $drift['missing'] );
		}
		if ( $extra ) {
			/* translators: %d: number of aliases. */
			$description .= '<p>' . esc_html( sprintf( _n( '%d alias on Closte has no domain record in Ultimate Multisite.', '%d aliases on Closte have no domain record in Ultimate Multisite.', $extra, 'closte-native' ), $extra ) ) . '</p>' . self::name_list( $drift['extra'] );
		}
		$label = sprintf(
			/* translators: 1: number of records without an alias, 2: number of aliases without a record. */
			__( 'Ultimate Multisite and Closte disagree: %1$d missing on Closte, %2$d extra on Closte', 'closte-native' ),
			$missing,
			$extra
		);
		// A record without its alias is a customer's domain that does not work; an extra alias harms no one.
		$status = $missing ? 'critical' : 'recommended';
		return self::result( $test, $status, $label, array(), $description, $links );
	}

	/**
	 * The names on one side only, sorted: records without an alias
	 * ('missing') and aliases without a record ('extra'), the network's
	 * own names excepted, as the Closte page counts them.
	 *
	 * @param string[] $records Domain names of Ultimate Multisite's records.
	 * @param array    $aliases closte_list_domains()'s result.
	 * @return array{missing: string[], extra: string[], records: int}
	 */
	private static function drift( array $records, array $aliases ) {
		$domains = self::admin_domains();
		$wanted  = array();
		foreach ( $records as $name ) {
			$name = $domains ? Closte_Native_Admin_Domains::canonical( $name ) : self::normalise( $name );
			if ( '' !== $name ) {
				$wanted[ $name ] = true;
			}
		}
		$on_closte = array();
		foreach ( $aliases as $alias ) {
			$name = self::normalise( $alias );
			if ( '' !== $name ) {
				$on_closte[ $name ] = true;
			}
		}
		$missing = array_keys( array_diff_key( $wanted, $on_closte ) );
		$extra   = array();
		foreach ( array_keys( array_diff_key( $on_closte, $wanted ) ) as $name ) {
			if ( ! $domains || ! $domains->is_kept( $name ) ) {
				$extra[] = (string) $name;
			}
		}
		$missing = array_map( 'strval', $missing );
		sort( $missing );
		sort( $extra );
		return array(
			'missing' => $missing,
			'extra'   => $extra,
			'records' => count( $wanted ),
		);
	}

	/**
	 * The admin page's view of the domains, for the same drift rules
	 * (which names are the network's own): loaded here when this request
	 * is not an admin one (the REST endpoints).
	 *
	 * @return Closte_Native_Admin_Domains|null
	 */
	private static function admin_domains() {
		if ( ! class_exists( 'Closte_Native_Admin_Domains' ) ) {
			$file = __DIR__ . '/admin/class-closte-native-admin-domains.php';
			if ( ! is_readable( $file ) ) {
				return null;
			}
			require_once $file;
		}
		return new Closte_Native_Admin_Domains();
	}

	/**
	 * Lower case, no surrounding space, no trailing dot.
	 *
	 * @param mixed $name A name, or an array with a 'domain' entry (closte_list_domains() may give those).
	 * @return string
	 */
	private static function normalise( $name ) {
		if ( is_array( $name ) ) {
			$name = isset( $name['domain'] ) ? $name['domain'] : '';
		}
		return rtrim( strtolower( trim( (string) $name ) ), '.' );
	}

	/**
	 * Adds the "Closte" section to the Info tab (filter debug_information).
	 *
	 * @param array $info The sections.
	 * @return array
	 */
	public function add_debug_information( $info ) {
		if ( ! is_array( $info ) || ! self::on_this_site() ) {
			return $info;
		}
		$yes     = __( 'Yes', 'closte-native' );
		$no      = __( 'No', 'closte-native' );
		$version = self::extension_version();
		$state   = $this->plugin->state();
		$source  = Closte_Native_Key::source();
		$sources = array(
			'constant'           => __( 'The CLOSTE_CLIENT_API_KEY constant (wp-config.php)', 'closte-native' ),
			'ultimate-multisite' => __( 'Ultimate Multisite\'s Closte integration settings', 'closte-native' ),
			''                   => __( 'None: no key is configured', 'closte-native' ),
		);
		$fields  = array(
			'extension_version' => array(
				'label' => __( 'Extension version', 'closte-native' ),
				'value' => null === $version ? __( 'Not loaded', 'closte-native' ) : $version,
				'debug' => null === $version ? 'not loaded' : $version,
			),
			'extension_minimum' => array(
				'label' => __( 'Extension version needed', 'closte-native' ),
				/* translators: %s: a version number. */
				'value' => sprintf( __( '%s or later', 'closte-native' ), self::MIN_EXTENSION_VERSION ),
				'debug' => '>= ' . self::MIN_EXTENSION_VERSION,
			),
			'plugin_version'    => array(
				'label' => __( 'Plugin version', 'closte-native' ),
				'value' => CLOSTE_NATIVE_VERSION,
			),
			'state'             => array(
				'label' => __( 'Plugin state', 'closte-native' ),
				'value' => 'active' === $state ? __( 'Active: the native path handles Closte\'s domain events', 'closte-native' ) : $state . ' (' . self::state_reason( $state ) . ')',
				'debug' => $state,
			),
			'integration'       => array(
				'label' => __( 'Closte integration enabled in Ultimate Multisite', 'closte-native' ),
				'value' => Closte_Native_Plugin::integration_enabled() ? $yes : $no,
				'debug' => Closte_Native_Plugin::integration_enabled(),
			),
			'key_source'        => array(
				'label' => __( 'API key source', 'closte-native' ),
				'value' => isset( $sources[ $source ] ) ? $sources[ $source ] : $source,
				'debug' => '' === $source ? 'none' : $source,
			),
		);
		$hint    = '' === $source ? '' : Closte_Native_Key::hint();
		if ( '' !== $hint ) {
			$fields['key_hint'] = array(
				'label'   => __( 'API key, last 4 characters', 'closte-native' ),
				'value'   => '…' . $hint,
				// Left out of the text copied for support requests.
				'private' => true,
			);
		}
		$fields['api_url']         = array(
			'label' => __( 'API URL', 'closte-native' ),
			'value' => self::api_url(),
		);
		$fields['timeout']         = self::ini_field( 'closte.timeout', __( 'Timeout (closte.timeout, seconds)', 'closte-native' ) );
		$fields['connect_timeout'] = self::ini_field( 'closte.connect_timeout', __( 'Connect timeout (closte.connect_timeout, seconds)', 'closte-native' ) );
		$fields['retries']         = self::ini_field( 'closte.retries', __( 'Retries (closte.retries)', 'closte-native' ) );
		$fields['proxy']           = self::proxy_field();
		$fields['um_version']      = array(
			'label' => __( 'Ultimate Multisite version', 'closte-native' ),
			'value' => function_exists( 'wu_get_version' ) ? (string) wu_get_version() : __( 'Not detected', 'closte-native' ),
		);

		$info[ self::DEBUG_SECTION ] = array(
			'label'       => __( 'Closte', 'closte-native' ),
			'description' => esc_html__( 'closte-native and the closte PHP extension, which hand Ultimate Multisite\'s domain events to Closte. The API key is never shown: only its last 4 characters, which are left out of the copied text.', 'closte-native' ),
			'fields'      => $fields,
		);
		return $info;
	}

	/**
	 * One closte.* ini entry as an Info field.
	 *
	 * @param string $name  The ini entry.
	 * @param string $label The field's label.
	 * @return array
	 */
	private static function ini_field( $name, $label ) {
		$value = ini_get( $name );
		return array(
			'label' => $label,
			'value' => false === $value ? __( 'Not set (the extension is not loaded)', 'closte-native' ) : (string) $value,
			'debug' => false === $value ? 'not set' : (string) $value,
		);
	}

	/**
	 * How the calls leave this server, as an Info field: never the proxy's credentials.
	 *
	 * @return array
	 */
	private static function proxy_field() {
		$proxy   = Closte_Native_Request_Options::proxy_status();
		$address = (string) $proxy['address'];
		$auth    = ! empty( $proxy['authenticated'] );
		switch ( $proxy['route'] ) {
			case 'wordpress': // phpcs:ignore WordPress.WP.CapitalPDangit.MisspelledInText -- proxy_status()'s route id.
				$value = $auth
					/* translators: %s: the proxy's host:port. */
					? sprintf( __( 'Through WordPress\'s proxy (WP_PROXY_HOST) %s, with credentials', 'closte-native' ), $address )
					/* translators: %s: the proxy's host:port. */
					: sprintf( __( 'Through WordPress\'s proxy (WP_PROXY_HOST) %s', 'closte-native' ), $address );
				break;
			case 'bypass':
				/* translators: %s: the proxy's host:port. */
				$value = sprintf( __( 'Direct: WordPress bypasses its proxy %s for the API host', 'closte-native' ), $address );
				break;
			case 'ini':
				$value = $auth
					/* translators: %s: the proxy's host:port. */
					? sprintf( __( 'Through the closte.proxy proxy %s, with credentials', 'closte-native' ), $address )
					/* translators: %s: the proxy's host:port. */
					: sprintf( __( 'Through the closte.proxy proxy %s', 'closte-native' ), $address );
				break;
			default:
				$value = __( 'Direct (no proxy)', 'closte-native' );
		}
		return array(
			'label' => __( 'Route to the Closte API', 'closte-native' ),
			'value' => $value,
			'debug' => trim( $proxy['route'] . ' ' . $address . ( $auth ? ' authenticated' : '' ) ),
		);
	}

	/**
	 * The API URL in force, without user info or query string.
	 *
	 * @return string
	 */
	private static function api_url() {
		$url = class_exists( 'Closte_Native_Admin_Status' )
			? (string) Closte_Native_Admin_Status::api_url()
			: self::public_url( (string) ini_get( 'closte.api_url' ) );
		return '' === $url ? Closte_Native_Request_Options::DEFAULT_API_URL : $url;
	}

	/**
	 * A URL without user info, query or fragment, '' when it has no host.
	 *
	 * @param string $url The URL.
	 * @return string
	 */
	private static function public_url( $url ) {
		$parts = wp_parse_url( (string) $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return '';
		}
		return ( isset( $parts['scheme'] ) ? $parts['scheme'] : 'https' ) . '://' . $parts['host']
			. ( isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '' )
			. ( isset( $parts['path'] ) ? $parts['path'] : '' );
	}

	/**
	 * The extension's full version string, null when it is not loaded.
	 *
	 * @return string|null
	 */
	private static function extension_version() {
		if ( ! function_exists( 'closte_version' ) ) {
			return null;
		}
		try {
			return (string) closte_version();
		} catch ( Throwable $e ) {
			return null;
		}
	}

	/**
	 * "0.2.0" from "0.2.0+abcdef1234" (the build suffix is no part of the
	 * order), null when it is no version number.
	 *
	 * @param string|null $version closte_version()'s answer.
	 * @return string|null
	 */
	private static function base_version( $version ) {
		$base = preg_replace( '/\+.*$/', '', trim( (string) $version ) );
		return is_string( $base ) && preg_match( '/^\d+\.\d+(\.\d+)?([.-][0-9A-Za-z.-]+)?$/', $base ) ? $base : null;
	}

	/**
	 * Why the plugin does nothing in a state other than 'active'.
	 *
	 * @param string $state The plugin's state.
	 * @return string
	 */
	private static function state_reason( $state ) {
		$reasons = array(
			'no-extension'   => __( 'the closte PHP extension is not loaded in this PHP', 'closte-native' ),
			'disabled'       => __( 'the Closte host integration is switched off in Ultimate Multisite', 'closte-native' ),
			'no-key'         => __( 'no Closte API key is configured', 'closte-native' ),
			'um-unsupported' => __( 'this Ultimate Multisite has no integration registry (version 2.5 or later is needed)', 'closte-native' ),
		);
		return isset( $reasons[ $state ] ) ? $reasons[ $state ] : __( 'closte-native is not active', 'closte-native' );
	}

	/**
	 * The result of a test that calls Closte, when the plugin is not active:
	 * it says why instead of calling the extension.
	 *
	 * @param string $test  The test's id.
	 * @param string $label The headline.
	 * @return array A Site Health test result.
	 */
	private function not_checked( $test, $label ) {
		$state = $this->plugin->state();
		return self::result(
			$test,
			'recommended',
			$label,
			array(
				/* translators: 1: the plugin's state, 2: why it is in that state. */
				sprintf( __( 'closte-native is not active (state: %1$s): %2$s. It does not call Closte until that is fixed.', 'closte-native' ), $state, self::state_reason( $state ) ),
			)
		);
	}

	/**
	 * The result of a test that needs Ultimate Multisite's domain records when they cannot be read.
	 *
	 * @param string $test The test's id.
	 * @return array A Site Health test result.
	 */
	private static function um_missing( $test ) {
		return self::result(
			$test,
			'recommended',
			__( 'Ultimate Multisite\'s domain records cannot be read', 'closte-native' ),
			array( __( 'Ultimate Multisite (version 2.5 or later) is not active on this network, or its domain table is missing.', 'closte-native' ) )
		);
	}

	/**
	 * An HTML list of names, at most LIST_LIMIT of them, and how many more.
	 *
	 * @param string[] $names The names.
	 * @return string
	 */
	private static function name_list( array $names ) {
		$items = '';
		foreach ( array_slice( $names, 0, self::LIST_LIMIT ) as $name ) {
			$items .= '<li>' . esc_html( $name ) . '</li>';
		}
		$html = '<ul>' . $items . '</ul>';
		$more = count( $names ) - self::LIST_LIMIT;
		if ( $more > 0 ) {
			/* translators: %d: number of names not listed. */
			$html .= '<p>' . esc_html( sprintf( _n( '…and %d more.', '…and %d more.', $more, 'closte-native' ), $more ) ) . '</p>';
		}
		return $html;
	}

	/**
	 * A Site Health test result: paragraphs escaped here, $html already safe.
	 *
	 * @param string   $test       The test's id.
	 * @param string   $status     good, recommended or critical.
	 * @param string   $label      The headline.
	 * @param string[] $paragraphs Plain-text paragraphs.
	 * @param string   $html       Escaped HTML after them (lists).
	 * @param string[] $after      Plain-text paragraphs after the HTML.
	 * @return array
	 */
	private static function result( $test, $status, $label, array $paragraphs, $html = '', array $after = array() ) {
		$description = '';
		foreach ( $paragraphs as $paragraph ) {
			$description .= '<p>' . esc_html( $paragraph ) . '</p>';
		}
		$description .= $html;
		foreach ( $after as $paragraph ) {
			$description .= '<p>' . esc_html( $paragraph ) . '</p>';
		}
		return array(
			'test'        => $test,
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Closte', 'closte-native' ),
				'color' => 'blue',
			),
			'description' => $description,
			'actions'     => sprintf(
				'<p><a href="%s">%s</a></p>',
				esc_url( self::page_url() ),
				esc_html__( 'Open the Closte page', 'closte-native' )
			),
		);
	}

	/**
	 * The plugin's network admin page: under Ultimate Multisite's menu when
	 * it is there (admin.php), else under Settings, as the page registers itself.
	 *
	 * @return string
	 */
	private static function page_url() {
		$slug = class_exists( 'Closte_Native_Admin' ) ? Closte_Native_Admin::SLUG : 'closte-native';
		$base = function_exists( 'wu_get_version' ) ? 'admin.php' : 'settings.php';
		return network_admin_url( $base . '?page=' . $slug );
	}
}
