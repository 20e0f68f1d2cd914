<?php
/**
 * Short texts for the domain table, from closte_ssl_status() results.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Describes a certificate check: a level (ok, warning, error), a short
 * label for the cell (chosen by the result's error_code) and a longer
 * detail for its tooltip (the extension's error text and the certificate).
 */
class Closte_Native_Admin_Certificates {

	/**
	 * Fewer days left than this is a warning.
	 */
	const WARN_DAYS = 14;

	/**
	 * The cell's content for one result.
	 *
	 * @param string $domain The domain checked.
	 * @param array  $status closte_ssl_status()'s result.
	 * @return array{domain: string, level: string, label: string, detail: string, valid: bool, days_left: int|null, error_code: string|null}
	 */
	public function describe( $domain, array $status ) {
		$valid = ! empty( $status['valid'] );
		$days  = isset( $status['days_left'] ) && null !== $status['days_left'] ? (int) $status['days_left'] : null;
		$error = isset( $status['error'] ) ? (string) $status['error'] : '';
		$code  = isset( $status['error_code'] ) ? (string) $status['error_code'] : '';
		if ( $valid ) {
			$level = null !== $days && $days < self::WARN_DAYS ? 'warning' : 'ok';
			/* translators: %d: days until the certificate expires. */
			$label = null === $days ? __( 'Valid', 'closte-native' ) : sprintf( _n( 'Valid, %d day left', 'Valid, %d days left', $days, 'closte-native' ), $days );
		} else {
			$level = 'error';
			$label = $this->label( $code, ! empty( $status['ok'] ) );
		}
		return array(
			'domain'     => (string) $domain,
			'level'      => $level,
			'label'      => $label,
			'detail'     => $this->detail( $status, $error ),
			'valid'      => $valid,
			'days_left'  => $days,
			'error_code' => '' !== $code ? $code : null,
		);
	}

	/**
	 * The label of a failed check, from closte_ssl_status()'s error_code
	 * (its error text is only shown, in the tooltip).
	 *
	 * @param string $code      The error_code, '' when there is none.
	 * @param bool   $handshake Whether the handshake completed (a certificate was seen).
	 * @return string
	 */
	private function label( $code, $handshake ) {
		$labels = array(
			// A certificate was presented, but it is not valid.
			'expired'         => __( 'Expired', 'closte-native' ),
			'not_yet_valid'   => __( 'Not yet valid', 'closte-native' ),
			'name_mismatch'   => __( 'Wrong name', 'closte-native' ),
			'self_signed'     => __( 'Self-signed', 'closte-native' ),
			'unknown_issuer'  => __( 'Untrusted issuer', 'closte-native' ),
			'bad_certificate' => __( 'Malformed certificate', 'closte-native' ),
			// No certificate could be seen.
			'refused'         => __( 'Connection refused', 'closte-native' ),
			'timeout'         => __( 'Timed out', 'closte-native' ),
			'dns'             => __( 'Name does not resolve', 'closte-native' ),
			'handshake'       => __( 'TLS handshake failed', 'closte-native' ),
		);
		if ( isset( $labels[ $code ] ) ) {
			return $labels[ $code ];
		}
		return $handshake ? __( 'Invalid', 'closte-native' ) : __( 'Check failed', 'closte-native' );
	}

	/**
	 * The tooltip: error, issuer, expiry, names, key, signature and serial.
	 *
	 * @param array  $status closte_ssl_status()'s result.
	 * @param string $error  Its error text.
	 * @return string
	 */
	private function detail( array $status, $error ) {
		$parts = array();
		if ( '' !== $error ) {
			$parts[] = $error;
		}
		if ( ! empty( $status['issuer'] ) ) {
			/* translators: %s: the certificate issuer's name. */
			$parts[] = sprintf( __( 'Issuer: %s', 'closte-native' ), (string) $status['issuer'] );
		}
		if ( ! empty( $status['not_after'] ) ) {
			/* translators: %s: expiry date and time (UTC). */
			$parts[] = sprintf( __( 'Expires: %s', 'closte-native' ), (string) $status['not_after'] );
		}
		if ( ! empty( $status['names'] ) && is_array( $status['names'] ) ) {
			/* translators: %s: the names the certificate covers. */
			$parts[] = sprintf( __( 'Names: %s', 'closte-native' ), implode( ', ', array_map( 'strval', $status['names'] ) ) );
		}
		if ( ! empty( $status['ip_addresses'] ) && is_array( $status['ip_addresses'] ) ) {
			/* translators: %s: the IP addresses the certificate covers. */
			$parts[] = sprintf( __( 'IP addresses: %s', 'closte-native' ), implode( ', ', array_map( 'strval', $status['ip_addresses'] ) ) );
		}
		if ( ! empty( $status['key_algorithm'] ) ) {
			/* translators: %s: the certificate's key type and size, e.g. "EC P-256". */
			$parts[] = sprintf( __( 'Key: %s', 'closte-native' ), (string) $status['key_algorithm'] );
		}
		if ( ! empty( $status['signature_algorithm'] ) ) {
			/* translators: %s: the signature algorithm, e.g. "ecdsa-with-SHA256". */
			$parts[] = sprintf( __( 'Signature: %s', 'closte-native' ), (string) $status['signature_algorithm'] );
		}
		if ( ! empty( $status['serial'] ) ) {
			/* translators: %s: the certificate's serial number in hex. */
			$parts[] = sprintf( __( 'Serial: %s', 'closte-native' ), (string) $status['serial'] );
		}
		return implode( "\n", $parts );
	}
}
