<?php
/**
 * Readable texts for the extension's exceptions.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Turns a Closte\Exception (or anything else thrown) into one sentence for
 * a network admin, with the secrets masked. The kind of error comes from the
 * exception's class; the texts are only shown, never looked into.
 */
class Closte_Native_Admin_Errors {

	/**
	 * A readable, translated, key-free description of an error.
	 *
	 * @param Throwable $error What was thrown.
	 * @return string
	 */
	public static function describe( $error ) {
		$message = trim( (string) $error->getMessage() );
		if ( $error instanceof Closte\InvalidDomainException ) {
			/* translators: %s: what is wrong with the name. */
			$text = sprintf( __( 'Not a valid domain name: %s', 'closte-native' ), $message );
		} elseif ( $error instanceof Closte\ConfigurationException ) {
			/* translators: %s: the extension's explanation. */
			$text = sprintf( __( 'The Closte set-up is incomplete or wrong: %s', 'closte-native' ), $message );
		} elseif ( $error instanceof Closte\TransportException ) {
			/* translators: %s: the network error. */
			$text = sprintf( __( 'Closte could not be reached: %s', 'closte-native' ), $message );
		} elseif ( $error instanceof Closte\ManagedDomainException ) {
			$text = __( 'Closte manages this name itself: it needs no alias.', 'closte-native' );
		} elseif ( $error instanceof Closte\ApiException ) {
			// Closte's own words when it gave some, else the extension's explanation.
			$api_error = self::closte_words( (string) $error->getApiError() );
			$reason    = '' !== $api_error ? $api_error : $message;
			$status    = (int) $error->getStatusCode();
			if ( 200 === $status ) {
				/* translators: %s: Closte's error text, or the extension's explanation. */
				$text = sprintf( __( 'Closte refused the request: %s', 'closte-native' ), $reason );
			} else {
				/* translators: 1: HTTP status code, 2: Closte's error text, or the extension's explanation. */
				$text = sprintf( __( 'Closte refused the request (HTTP %1$d): %2$s', 'closte-native' ), $status, $reason );
			}
		} elseif ( $error instanceof Closte\Exception ) {
			/* translators: %s: the error text. */
			$text = sprintf( __( 'Closte error: %s', 'closte-native' ), $message );
		} else {
			/* translators: %s: the error text. */
			$text = sprintf( __( 'Unexpected error: %s', 'closte-native' ), $message );
		}
		return Closte_Native_Logger::redact( $text );
	}

	/**
	 * Closte's own words (an ApiException's getApiError(), or
	 * closte_test_connection()'s api_error) as one line of plain text, cut
	 * to a readable length; '' when there are none. Escape it when printing.
	 *
	 * @param string $words What Closte said.
	 * @return string
	 */
	public static function closte_words( $words ) {
		$words = wp_check_invalid_utf8( (string) $words, true );
		$words = trim( (string) preg_replace( '/[\x00-\x1F\x7F]+/', ' ', $words ) );
		if ( mb_strlen( $words, 'UTF-8' ) > Closte_Native_Logger::QUOTE_MAX ) {
			$words = mb_substr( $words, 0, Closte_Native_Logger::QUOTE_MAX, 'UTF-8' ) . '…';
		}
		return $words;
	}
}
