<?php
/**
 * The per-call options of every Closte API call the plugin makes.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Builds the $options array passed to closte_add_domain(),
 * closte_remove_domain(), closte_list_domains(), closte_test_connection()
 * and closte_sync_domains(): the domain handler, the admin page's connection
 * test, its domain list and its sync all take their options from build().
 *
 * WordPress's own proxy settings apply: when WP_PROXY_HOST and WP_PROXY_PORT
 * are defined, they decide. The calls go through that proxy (with
 * WP_PROXY_USERNAME and WP_PROXY_PASSWORD as its credentials), unless
 * WordPress's WP_HTTP_Proxy says the API host is reached directly
 * (WP_PROXY_BYPASS_HOSTS, localhost, the site's own host, or the
 * pre_http_send_through_proxy filter): then they go direct ('proxy' => '').
 * Without those constants nothing is added, and the extension's closte.proxy
 * ini entry (empty by default: direct) is in force.
 *
 * The proxy password is a secret like the API key: the URL carrying it is
 * only ever handed to the extension, never returned by the public methods
 * that describe the route, and Closte_Native_Logger masks it.
 */
final class Closte_Native_Request_Options {

	/**
	 * The extension's default API URL (when closte.api_url is not readable).
	 */
	const DEFAULT_API_URL = 'https://app.closte.com/api/client';

	/**
	 * The options for one call.
	 *
	 * @param string $operation 'add', 'remove', 'list', 'sync' or 'test'.
	 * @param string $domain    The domain of an add or remove, else ''.
	 * @return array
	 */
	public static function build( $operation, $domain = '' ) {
		/**
		 * Filters the per-call options passed to the extension (api_url,
		 * timeout, connect_timeout, retries, proxy, ca_file). Leave api_key
		 * out: the extension reads CLOSTE_CLIENT_API_KEY itself, and the
		 * plugin adds a key stored in Ultimate Multisite. When the
		 * result has no 'proxy' entry and WP_PROXY_HOST and WP_PROXY_PORT are
		 * defined, the plugin adds WordPress's proxy, or '' (direct) when
		 * WordPress bypasses it for the result's API host; set 'proxy'
		 * yourself ('' for none) to decide otherwise.
		 *
		 * @param array  $options   Options, empty by default (php.ini settings apply).
		 * @param string $operation 'add', 'remove', 'list', 'sync' or 'test'.
		 * @param string $domain    The domain of an add or remove, else ''.
		 */
		$options = (array) apply_filters( 'closte_native_request_options', array(), (string) $operation, (string) $domain );
		if ( ! array_key_exists( 'proxy', $options ) ) {
			$proxy = self::wordpress_proxy_url( self::api_url( $options ) );
			if ( null !== $proxy ) {
				$options['proxy'] = $proxy;
			}
		}
		// The extension reads the constant by itself; only a key stored in
		// Ultimate Multisite has to be handed over (a sensitive parameter of
		// the extension's functions: never in a trace).
		if ( ! array_key_exists( 'api_key', $options ) && 'ultimate-multisite' === Closte_Native_Key::source() ) {
			$key = Closte_Native_Key::value();
			if ( '' !== $key ) {
				$options['api_key'] = $key;
			}
		}
		return $options;
	}

	/**
	 * The API URL a call with these options goes to.
	 *
	 * @param array $options Per-call options.
	 * @return string
	 */
	public static function api_url( array $options = array() ) {
		if ( isset( $options['api_url'] ) && '' !== (string) $options['api_url'] ) {
			return (string) $options['api_url'];
		}
		$ini = (string) ini_get( 'closte.api_url' );
		return '' !== $ini ? $ini : self::DEFAULT_API_URL;
	}

	// phpcs:disable WordPress.WP.CapitalPDangit -- the route value "wordpress" below is code, not the name.
	/**
	 * How calls to the configured API URL leave this server, for the admin
	 * page: never the credentials.
	 *
	 * @return array{route: string, address: string, authenticated: bool}
	 *         route: 'wordpress' (WP_PROXY_*), 'bypass' (WP_PROXY_* set, but
	 *         WordPress reaches the API host directly, and so do the calls),
	 *         'ini' (closte.proxy) or 'direct'. address: the proxy's
	 *         "host:port", '' for 'direct'.
	 */
	public static function proxy_status() {
		// phpcs:enable WordPress.WP.CapitalPDangit
		$wp = self::wordpress_proxy();
		if ( null !== $wp ) {
			return array(
				'route'         => self::wordpress_proxy_applies( $wp, self::api_url() ) ? 'wordpress' : 'bypass',
				'address'       => self::address( $wp['host'], $wp['port'] ),
				'authenticated' => $wp['authenticated'],
			);
		}
		$ini   = trim( (string) ini_get( 'closte.proxy' ) );
		$parts = '' !== $ini ? wp_parse_url( $ini ) : false;
		if ( is_array( $parts ) && ! empty( $parts['host'] ) ) {
			return array(
				'route'         => 'ini',
				'address'       => self::address( $parts['host'], isset( $parts['port'] ) ? (string) $parts['port'] : '' ),
				'authenticated' => isset( $parts['user'] ) && '' !== $parts['user'],
			);
		}
		return array(
			'route'         => 'direct',
			'address'       => '',
			'authenticated' => false,
		);
	}

	/**
	 * WordPress's proxy, as the extension wants it, for calls to $api_url:
	 * '' when WordPress reaches that host directly, null when WordPress has
	 * no proxy.
	 *
	 * @param string $api_url The API URL of the call.
	 * @return string|null "http://[user:pass@]host:port", credentials URL-encoded.
	 */
	private static function wordpress_proxy_url( $api_url ) {
		$wp = self::wordpress_proxy();
		if ( null === $wp ) {
			return null;
		}
		if ( ! self::wordpress_proxy_applies( $wp, $api_url ) ) {
			return '';
		}
		$credentials = '';
		if ( $wp['authenticated'] ) {
			$credentials = rawurlencode( (string) $wp['proxy']->username() ) . ':' . rawurlencode( (string) $wp['proxy']->password() ) . '@';
		}
		return 'http://' . $credentials . self::address( $wp['host'], $wp['port'] );
	}

	/**
	 * WordPress's proxy settings (WP_HTTP_Proxy), or null when there are none.
	 *
	 * @return array{proxy: WP_HTTP_Proxy, host: string, port: string, authenticated: bool}|null
	 */
	private static function wordpress_proxy() {
		if ( ! class_exists( 'WP_HTTP_Proxy' ) ) {
			return null;
		}
		$proxy = new WP_HTTP_Proxy();
		if ( ! $proxy->is_enabled() ) {
			return null;
		}
		$host = trim( (string) $proxy->host() );
		if ( false !== strpos( $host, '://' ) ) {
			// Some set-ups write WP_PROXY_HOST as a URL ("http://proxy.lan"): keep its host.
			$parts = wp_parse_url( $host );
			$host  = is_array( $parts ) && isset( $parts['host'] ) ? (string) $parts['host'] : '';
		}
		if ( '' === $host ) {
			return null;
		}
		return array(
			'proxy'         => $proxy,
			'host'          => $host,
			'port'          => trim( (string) $proxy->port() ),
			'authenticated' => $proxy->use_authentication() && '' !== (string) $proxy->username(),
		);
	}

	/**
	 * Whether WordPress sends requests for $api_url through its proxy
	 * (WP_HTTP_Proxy::send_through_proxy(): WP_PROXY_BYPASS_HOSTS, localhost,
	 * the site's own host, the pre_http_send_through_proxy filter).
	 *
	 * @param array  $wp      From wordpress_proxy().
	 * @param string $api_url The API URL.
	 * @return bool
	 */
	private static function wordpress_proxy_applies( array $wp, $api_url ) {
		return (bool) $wp['proxy']->send_through_proxy( $api_url );
	}

	/**
	 * "host:port", an IPv6 address in brackets.
	 *
	 * @param string $host Host name or address.
	 * @param string $port Port, possibly ''.
	 * @return string
	 */
	private static function address( $host, $port ) {
		$host = (string) $host;
		if ( false !== strpos( $host, ':' ) && '[' !== substr( $host, 0, 1 ) ) {
			$host = '[' . $host . ']';
		}
		return '' === (string) $port ? $host : $host . ':' . $port;
	}
}
