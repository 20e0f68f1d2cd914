<?php
/**
 * Logging to Ultimate Multisite's integration-closte channel.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Writes through wu_log_add(); falls back to error_log() only when
 * Ultimate Multisite's logger is missing. The API key is never written: the
 * extension keeps it out of its messages, and this class masks it again in
 * case some other text ever carried it.
 */
class Closte_Native_Logger {

	/**
	 * Ultimate Multisite's log channel for Closte (wu-logs/integration-closte.log).
	 */
	const CHANNEL = 'integration-closte';

	/**
	 * Logs at debug level.
	 *
	 * @param string $message Message.
	 */
	public function debug( $message ) {
		$this->log( 'debug', $message );
	}

	/**
	 * Logs at info level.
	 *
	 * @param string $message Message.
	 */
	public function info( $message ) {
		$this->log( 'info', $message );
	}

	/**
	 * Logs at warning level.
	 *
	 * @param string $message Message.
	 */
	public function warning( $message ) {
		$this->log( 'warning', $message );
	}

	/**
	 * Logs at error level.
	 *
	 * @param string $message Message.
	 */
	public function error( $message ) {
		$this->log( 'error', $message );
	}

	/**
	 * Logs one line.
	 *
	 * @param string $level   PSR-3 level: debug, info, warning or error.
	 * @param string $message Message.
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
	 * Masks the API key (plain and URL-encoded) in a text.
	 *
	 * @param string $text Text.
	 * @return string
	 */
	public static function redact( $text ) {
		if ( ! defined( 'CLOSTE_CLIENT_API_KEY' ) ) {
			return $text;
		}
		$key = (string) constant( 'CLOSTE_CLIENT_API_KEY' );
		if ( strlen( $key ) < 4 ) {
			return $text;
		}
		return str_replace( array( $key, rawurlencode( $key ), urlencode( $key ) ), '[redacted]', $text );
	}
}
