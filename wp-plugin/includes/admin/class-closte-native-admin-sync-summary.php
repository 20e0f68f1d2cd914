<?php
/**
 * The outcome of a sync or of a confirmed removal, for the page and the log.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Wraps closte_sync_domains()'s result (kind 'sync': added, unchanged,
 * failed) or Closte_Native_Admin_Domains::remove_confirmed()'s (kind
 * 'remove': removed, skipped, failed): lists of names, failed as name =>
 * reason, skipped as name => Closte_Native_Admin_Domains::SKIP_* code (the
 * log keeps the code, the page gets a sentence), and elapsed_ms.
 */
class Closte_Native_Admin_Sync_Summary {

	/**
	 * The two kinds of outcome.
	 */
	const SYNC   = 'sync';
	const REMOVE = 'remove';

	/**
	 * 'sync' or 'remove'.
	 *
	 * @var string
	 */
	private $kind;

	/**
	 * The lists.
	 *
	 * @var array{added: string[], removed: string[], unchanged: string[], skipped: array<string, string>, failed: array<string, string>}
	 */
	private $lists;

	/**
	 * Milliseconds the operation took.
	 *
	 * @var int
	 */
	private $elapsed_ms;

	/**
	 * Copies the lists, with the secrets masked in the reasons.
	 *
	 * @param array  $result The operation's result.
	 * @param string $kind   self::SYNC or self::REMOVE.
	 */
	public function __construct( array $result, $kind = self::SYNC ) {
		$this->kind       = self::REMOVE === $kind ? self::REMOVE : self::SYNC;
		$this->lists      = array(
			'added'     => self::names( $result, 'added' ),
			'removed'   => self::names( $result, 'removed' ),
			'unchanged' => self::names( $result, 'unchanged' ),
			'skipped'   => self::reasons( $result, 'skipped' ),
			'failed'    => self::reasons( $result, 'failed' ),
		);
		$this->elapsed_ms = isset( $result['elapsed_ms'] ) ? (int) $result['elapsed_ms'] : 0;
	}

	/**
	 * One list of names from a result.
	 *
	 * @param array  $result The operation's result.
	 * @param string $key    Its key.
	 * @return string[]
	 */
	private static function names( array $result, $key ) {
		return isset( $result[ $key ] ) ? array_values( array_map( 'strval', (array) $result[ $key ] ) ) : array();
	}

	/**
	 * One name => reason list from a result, secrets masked.
	 *
	 * @param array  $result The operation's result.
	 * @param string $key    Its key.
	 * @return array<string, string>
	 */
	private static function reasons( array $result, $key ) {
		$reasons = array();
		foreach ( isset( $result[ $key ] ) ? (array) $result[ $key ] : array() as $domain => $reason ) {
			$reasons[ (string) $domain ] = Closte_Native_Logger::redact( (string) $reason );
		}
		return $reasons;
	}

	/**
	 * How many calls failed.
	 *
	 * @return int
	 */
	public function failed_count() {
		return count( $this->lists['failed'] );
	}

	/**
	 * One translated sentence.
	 *
	 * @return string
	 */
	public function message() {
		if ( self::REMOVE === $this->kind ) {
			return sprintf(
				/* translators: 1: removed, 2: skipped, 3: failed (counts), 4: milliseconds. */
				__( 'Removal finished: %1$d removed, %2$d skipped, %3$d failed (%4$d ms).', 'closte-native' ),
				count( $this->lists['removed'] ),
				count( $this->lists['skipped'] ),
				$this->failed_count(),
				$this->elapsed_ms
			);
		}
		return sprintf(
			/* translators: 1: added, 2: unchanged, 3: failed (counts), 4: milliseconds. */
			__( 'Sync finished: %1$d added, %2$d unchanged, %3$d failed (%4$d ms). Nothing was removed.', 'closte-native' ),
			count( $this->lists['added'] ),
			count( $this->lists['unchanged'] ),
			$this->failed_count(),
			$this->elapsed_ms
		);
	}

	/**
	 * The line written to the integration-closte log (not translated).
	 *
	 * @param string $user Who pressed the button.
	 * @return string
	 */
	public function log_line( $user ) {
		if ( self::REMOVE === $this->kind ) {
			return sprintf(
				'Extra aliases removed from the admin page by %s, as confirmed: removed [%s], skipped [%s], failed [%s], %d ms.',
				$user,
				implode( ', ', $this->lists['removed'] ),
				self::join_reasons( $this->lists['skipped'] ),
				self::join_reasons( $this->lists['failed'] ),
				$this->elapsed_ms
			);
		}
		return sprintf(
			'Sync from the admin page by %s: added [%s], %d unchanged, failed [%s], %d ms.',
			$user,
			implode( ', ', $this->lists['added'] ),
			count( $this->lists['unchanged'] ),
			self::join_reasons( $this->lists['failed'] ),
			$this->elapsed_ms
		);
	}

	/**
	 * The answer sent to the page.
	 *
	 * @return array
	 */
	public function to_array() {
		return array(
			'message'    => $this->message(),
			'added'      => $this->lists['added'],
			'removed'    => $this->lists['removed'],
			'unchanged'  => $this->lists['unchanged'],
			'skipped'    => self::pairs( array_map( array( __CLASS__, 'skip_reason' ), $this->lists['skipped'] ) ),
			'failed'     => self::pairs( $this->lists['failed'] ),
			'elapsed_ms' => $this->elapsed_ms,
		);
	}

	/**
	 * Why a confirmed name was left alone, as a sentence for the page.
	 *
	 * @param string $code A Closte_Native_Admin_Domains::SKIP_* code.
	 * @return string
	 */
	public static function skip_reason( $code ) {
		switch ( $code ) {
			case Closte_Native_Admin_Domains::SKIP_NOT_ON_CLOSTE:
				return __( 'no longer on Closte', 'closte-native' );
			case Closte_Native_Admin_Domains::SKIP_HAS_RECORD:
				return __( 'it has a domain record now', 'closte-native' );
			case Closte_Native_Admin_Domains::SKIP_KEPT:
				return __( 'one of the network\'s own domains', 'closte-native' );
			case Closte_Native_Admin_Domains::SKIP_INVALID:
				return __( 'not a valid domain name', 'closte-native' );
			default:
				return (string) $code;
		}
	}

	/**
	 * "name (reason), ..." for the log.
	 *
	 * @param array<string, string> $reasons Name => reason.
	 * @return string
	 */
	private static function join_reasons( array $reasons ) {
		$parts = array();
		foreach ( $reasons as $domain => $reason ) {
			$parts[] = $domain . ' (' . $reason . ')';
		}
		return implode( ', ', $parts );
	}

	/**
	 * A list of {domain, reason} for the page's script (JSON keeps the order).
	 *
	 * @param array<string, string> $reasons Name => reason.
	 * @return array[]
	 */
	private static function pairs( array $reasons ) {
		$pairs = array();
		foreach ( $reasons as $domain => $reason ) {
			$pairs[] = array(
				'domain' => $domain,
				'reason' => $reason,
			);
		}
		return $pairs;
	}
}
