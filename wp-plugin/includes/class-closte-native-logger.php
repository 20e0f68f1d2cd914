<?php
/**
 * Logging to Ultimate Multisite's integration-closte channel.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Writes through wu_log_add(); falls back to error_log() only when
 * Ultimate Multisite's logger is missing. The API key and the proxy password
 * are never written: the extension keeps them out of its messages, and this
 * class masks them again in case some other text ever carried them.
 */
class Closte_Native_Logger {

	/**
	 * Ultimate Multisite's log channel for Closte (wu-logs/integration-closte.log).
	 */
	const CHANNEL = 'integration-closte';

	/**
	 * At most this many characters of Closte's own words go into a line or a page.
	 */
	const QUOTE_MAX = 300;

	/**
	 * Logs at debug level.
	 *
	 * @param string $message Message.
	 * @return void
	 */
	public function debug( $message ) {
		$this->log( 'debug', $message );
	}

	/**
	 * Logs at info level.
	 *
	 * @param string $message Message.
	 * @return void
	 */
	public function info( $message ) {
		$this->log( 'info', $message );
	}

	/**
	 * Logs at warning level.
	 *
	 * @param string $message Message.
	 * @return void
	 */
	public function warning( $message ) {
		$this->log( 'warning', $message );
	}

	/**
	 * Logs at error level.
	 *
	 * @param string $message Message.
	 * @return void
	 */
	public function error( $message ) {
		$this->log( 'error', $message );
	}

	/**
	 * Logs one line.
	 *
	 * @param string $level   PSR-3 level: debug, info, warning or error.
	 * @param string $message Message.
	 * @return void
	 */
	public function log( $level, $message ) {
		$message = self::redact( (string) $message );
		if ( function_exists( 'wu_log_add' ) ) {
			wu_log_add( self::CHANNEL, $message, $level );
			return;
		}
		if ( 'debug' !== $level ) {
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- the fallback when Ultimate Multisite's logger is missing.
			error_log( '[closte-native] ' . strtoupper( $level ) . ': ' . $message );
		}
	}

	/**
	 * Masks the secrets in a text: the API key (the constant's or the one
	 * stored in Ultimate Multisite) and WordPress's proxy password
	 * (WP_PROXY_PASSWORD), plain and URL-encoded.
	 *
	 * @param string $text Text.
	 * @return string
	 */
	public static function redact( $text ) {
		$text    = (string) $text;
		$secrets = array( Closte_Native_Key::value() );
		if ( defined( 'WP_PROXY_PASSWORD' ) ) {
			$secrets[] = (string) constant( 'WP_PROXY_PASSWORD' );
		}
		foreach ( $secrets as $secret ) {
			if ( strlen( $secret ) < 4 ) {
				continue;
			}
			// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.urlencode_urlencode -- the form encoding (spaces as +) is one the key can travel in.
			$text = str_replace( array_unique( array( $secret, rawurlencode( $secret ), urlencode( $secret ) ) ), '[redacted]', $text );
		}
		return $text;
	}

	/**
	 * Closte's own words (Closte\ApiException::getApiError()) for a log line,
	 * in double quotes. The extension hands them over printable already
	 * (quotes, backslashes and control characters escaped, cut short); any
	 * control character left is escaped here all the same, so that no line
	 * break of Closte's ever starts a line of the log.
	 *
	 * @param string $words What Closte said.
	 * @return string
	 */
	public static function quote( $words ) {
		$words = wp_check_invalid_utf8( (string) $words, true );
		if ( mb_strlen( $words, 'UTF-8' ) > self::QUOTE_MAX ) {
			$words = mb_substr( $words, 0, self::QUOTE_MAX, 'UTF-8' ) . '...';
		}
		// A quote inside Closte's words must not end the quoted part early.
		$words = str_replace( '"', '\\"', $words );
		$words = preg_replace_callback(
			'/[\x00-\x1F\x7F]/',
			function ( $control ) {
				return sprintf( '\\u{%x}', ord( $control[0] ) );
			},
			$words
		);
		return '"' . $words . '"';
	}
}
