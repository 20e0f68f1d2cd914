<?php
/**
 * What the admin page says about the set-up: extension, key, interval, log.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Read-only facts for the network admin page. Nothing here calls Closte, and
 * nothing here ever returns the API key: at most its last 4 characters.
 */
class Closte_Native_Admin_Status {

	/**
	 * Ultimate Multisite's settings network option.
	 */
	const UM_SETTINGS = 'wp-ultimo_v2_settings';

	/**
	 * Ultimate Multisite's default DNS check interval, and its bounds, in seconds.
	 */
	const DNS_INTERVAL_DEFAULT = 300;
	const DNS_INTERVAL_MIN     = 10;
	const DNS_INTERVAL_MAX     = 300;

	/**
	 * How many log lines the page shows by default.
	 */
	const LOG_LINES = 40;

	/**
	 * Keys shorter than this show no characters at all.
	 */
	const KEY_HINT_MIN_LENGTH = 12;

	/**
	 * The extension's version, or null when it is not loaded.
	 *
	 * @return string|null
	 */
	public static function extension_version() {
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
	 * Whether the certificate check is available in the loaded extension.
	 *
	 * @return bool
	 */
	public static function ssl_check_available() {
		return function_exists( 'closte_ssl_status' );
	}

	/**
	 * The last 4 characters of the key (the constant, or the key stored in
	 * Ultimate Multisite), or '' when the key is missing or too short to
	 * show any part of it.
	 *
	 * @return string
	 */
	public static function key_hint() {
		if ( ! Closte_Native_Plugin::key_defined() ) {
			return '';
		}
		if ( class_exists( 'Closte_Native_Key' ) ) {
			return (string) Closte_Native_Key::hint();
		}
		if ( ! defined( 'CLOSTE_CLIENT_API_KEY' ) ) {
			return '';
		}
		$key = (string) constant( 'CLOSTE_CLIENT_API_KEY' );
		return strlen( $key ) >= self::KEY_HINT_MIN_LENGTH ? substr( $key, -4 ) : '';
	}

	/**
	 * The Closte API URL in force (the closte.api_url ini entry), without any
	 * query string or user info.
	 *
	 * @return string
	 */
	public static function api_url() {
		$url = (string) ini_get( 'closte.api_url' );
		if ( '' === $url ) {
			return '';
		}
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return '';
		}
		$scheme = isset( $parts['scheme'] ) ? $parts['scheme'] : 'https';
		$port   = isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '';
		$path   = isset( $parts['path'] ) ? $parts['path'] : '';
		return $scheme . '://' . $parts['host'] . $port . $path;
	}

	/**
	 * The DNS check interval Ultimate Multisite uses: the dns_check_interval
	 * setting, default 300, clamped to 10..300.
	 *
	 * @return array{seconds: int, configured: int|null, clamped: bool}
	 */
	public static function dns_check_interval() {
		$settings   = get_network_option( get_current_network_id(), self::UM_SETTINGS, array() );
		$configured = null;
		if ( is_array( $settings ) && isset( $settings['dns_check_interval'] ) && is_numeric( $settings['dns_check_interval'] ) ) {
			$configured = (int) $settings['dns_check_interval'];
		}
		$seconds = null === $configured ? self::DNS_INTERVAL_DEFAULT : $configured;
		$seconds = max( self::DNS_INTERVAL_MIN, min( self::DNS_INTERVAL_MAX, $seconds ) );
		return array(
			'seconds'    => $seconds,
			'configured' => $configured,
			'clamped'    => null !== $configured && $configured !== $seconds,
		);
	}

	/**
	 * The integration-closte log file (wu-logs in the main site's uploads).
	 *
	 * @return string
	 */
	public static function log_file() {
		$switched = is_multisite() && ! is_main_site();
		if ( $switched ) {
			switch_to_blog( get_main_site_id() );
		}
		$uploads = wp_upload_dir( null, false );
		if ( $switched ) {
			restore_current_blog();
		}
		$file = trailingslashit( $uploads['basedir'] ) . 'wu-logs/' . Closte_Native_Logger::CHANNEL . '.log';

		/**
		 * Filters the path of the log file the admin page shows.
		 *
		 * @param string $file Absolute path.
		 */
		return (string) apply_filters( 'closte_native_admin_log_file', $file );
	}

	/**
	 * The last lines of the log, key masked.
	 *
	 * @param int $lines How many lines.
	 * @return string[]
	 */
	public static function log_tail( $lines = self::LOG_LINES ) {
		$file = self::log_file();
		if ( ! is_file( $file ) || ! is_readable( $file ) ) {
			return array();
		}
		$size   = (int) filesize( $file );
		$length = min( $size, 65536 );
		// phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local log file.
		$text = (string) file_get_contents( $file, false, null, max( 0, $size - $length ), $length );
		$all  = preg_split( '/\r\n|\n/', rtrim( $text, "\r\n" ) );
		if ( $size > $length ) {
			array_shift( $all ); // The first line read is likely cut.
		}
		$all = array_filter(
			$all,
			function ( $line ) {
				return '' !== $line;
			}
		);
		$all = array_slice( $all, -max( 1, (int) $lines ) );
		return array_map( array( 'Closte_Native_Logger', 'redact' ), $all );
	}
}
