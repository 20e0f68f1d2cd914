<?php
/**
 * closte_ssl_status() results as short texts for the domain table.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Describes a certificate check: a level (ok, warning, error), a short
 * label for the cell and a longer detail for its tooltip.
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
	 * @return array{domain: string, level: string, label: string, detail: string, valid: bool, days_left: int|null}
	 */
	public function describe( $domain, array $status ) {
		$valid = ! empty( $status['valid'] );
		$days  = isset( $status['days_left'] ) && null !== $status['days_left'] ? (int) $status['days_left'] : null;
		$error = isset( $status['error'] ) ? (string) $status['error'] : '';
		if ( $valid ) {
			$level = null !== $days && $days < self::WARN_DAYS ? 'warning' : 'ok';
			/* translators: %d: days until the certificate expires. */
			$label = null === $days ? __( 'Valid', 'closte-native' ) : sprintf( _n( 'Valid, %d day left', 'Valid, %d days left', $days, 'closte-native' ), $days );
		} else {
			$level = 'error';
			$label = empty( $status['ok'] ) ? $this->failure_label( $error ) : $this->invalid_label( $error );
		}
		return array(
			'domain'    => (string) $domain,
			'level'     => $level,
			'label'     => $label,
			'detail'    => $this->detail( $status, $error ),
			'valid'     => $valid,
			'days_left' => $days,
		);
	}

	/**
	 * Label of a certificate that was presented but is not valid.
	 *
	 * @param string $error closte_ssl_status()'s error text.
	 * @return string
	 */
	private function invalid_label( $error ) {
		$labels = array(
			'expired'        => __( 'Expired', 'closte-native' ),
			'not yet valid'  => __( 'Not yet valid', 'closte-native' ),
			'name mismatch'  => __( 'Wrong name', 'closte-native' ),
			'self-signed'    => __( 'Self-signed', 'closte-native' ),
			'unknown issuer' => __( 'Untrusted issuer', 'closte-native' ),
		);
		return $this->pick( $error, $labels, __( 'Invalid', 'closte-native' ) );
	}

	/**
	 * Label of a check that got no certificate.
	 *
	 * @param string $error closte_ssl_status()'s error text.
	 * @return string
	 */
	private function failure_label( $error ) {
		$labels = array(
			'connection refused' => __( 'No answer on port 443', 'closte-native' ),
			'timeout'            => __( 'Timed out', 'closte-native' ),
			'dns failure'        => __( 'Name does not resolve', 'closte-native' ),
			'handshake failure'  => __( 'TLS handshake failed', 'closte-native' ),
		);
		return $this->pick( $error, $labels, __( 'Check failed', 'closte-native' ) );
	}

	/**
	 * The label whose key starts the error text, else the fallback.
	 *
	 * @param string   $error    Error text.
	 * @param string[] $labels   Prefix => label.
	 * @param string   $fallback Fallback label.
	 * @return string
	 */
	private function pick( $error, array $labels, $fallback ) {
		$lower = strtolower( $error );
		foreach ( $labels as $prefix => $label ) {
			if ( 0 === strpos( $lower, $prefix ) ) {
				return $label;
			}
		}
		return $fallback;
	}

	/**
	 * The tooltip: error, issuer, expiry and names.
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
		return implode( "\n", $parts );
	}
}
