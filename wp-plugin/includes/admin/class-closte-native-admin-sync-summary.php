<?php
/**
 * The outcome of a sync, for the page and the log.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Wraps closte_sync_domains()'s result: added, removed, unchanged (lists of
 * names), failed (name => reason), elapsed_ms.
 */
class Closte_Native_Admin_Sync_Summary {

	/**
	 * The lists.
	 *
	 * @var array{added: string[], removed: string[], unchanged: string[], failed: array<string, string>}
	 */
	private $lists;

	/**
	 * Milliseconds the sync took.
	 *
	 * @var int
	 */
	private $elapsed_ms;

	/**
	 * @param array $result closte_sync_domains()'s result.
	 */
	public function __construct( array $result ) {
		$this->lists = array();
		foreach ( array( 'added', 'removed', 'unchanged' ) as $list ) {
			$this->lists[ $list ] = isset( $result[ $list ] ) ? array_values( array_map( 'strval', (array) $result[ $list ] ) ) : array();
		}
		$failed = array();
		foreach ( isset( $result['failed'] ) ? (array) $result['failed'] : array() as $domain => $reason ) {
			$failed[ (string) $domain ] = Closte_Native_Logger::redact( (string) $reason );
		}
		$this->lists['failed'] = $failed;
		$this->elapsed_ms      = isset( $result['elapsed_ms'] ) ? (int) $result['elapsed_ms'] : 0;
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
		return sprintf(
			/* translators: 1: added, 2: removed, 3: unchanged, 4: failed (counts), 5: milliseconds. */
			__( 'Sync finished: %1$d added, %2$d removed, %3$d unchanged, %4$d failed (%5$d ms).', 'closte-native' ),
			count( $this->lists['added'] ),
			count( $this->lists['removed'] ),
			count( $this->lists['unchanged'] ),
			$this->failed_count(),
			$this->elapsed_ms
		);
	}

	/**
	 * The line written to the integration-closte log (not translated).
	 *
	 * @param string $user Who pressed "Sync now".
	 * @return string
	 */
	public function log_line( $user ) {
		$failed = array();
		foreach ( $this->lists['failed'] as $domain => $reason ) {
			$failed[] = $domain . ' (' . $reason . ')';
		}
		return sprintf(
			'Sync from the admin page by %s: added [%s], removed [%s], %d unchanged, failed [%s], %d ms.',
			$user,
			implode( ', ', $this->lists['added'] ),
			implode( ', ', $this->lists['removed'] ),
			count( $this->lists['unchanged'] ),
			implode( ', ', $failed ),
			$this->elapsed_ms
		);
	}

	/**
	 * The answer sent to the page.
	 *
	 * @return array
	 */
	public function to_array() {
		$failed = array();
		foreach ( $this->lists['failed'] as $domain => $reason ) {
			$failed[] = array(
				'domain' => $domain,
				'reason' => $reason,
			);
		}
		return array(
			'message'    => $this->message(),
			'added'      => $this->lists['added'],
			'removed'    => $this->lists['removed'],
			'unchanged'  => $this->lists['unchanged'],
			'failed'     => $failed,
			'elapsed_ms' => $this->elapsed_ms,
		);
	}
}
