<?php
/**
 * Deferred and retried domain jobs.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Schedules this plugin's own job hook, closte_native_domain_job, with one
 * argument: array( operation 'add'|'remove', domain, site_id, attempt ).
 * A job of its own rather than re-firing wu_add_domain, so that other
 * plugins listening to Ultimate Multisite's hooks do not run twice.
 *
 * Action Scheduler (bundled with Ultimate Multisite) is used when present,
 * WP-Cron otherwise, on the network's main site.
 */
class Closte_Native_Queue {

	/**
	 * The job hook.
	 */
	const HOOK = 'closte_native_domain_job';

	/**
	 * Action Scheduler group.
	 */
	const GROUP = 'closte-native';

	/**
	 * Whether Action Scheduler is available.
	 *
	 * @return bool
	 */
	public function uses_action_scheduler() {
		return function_exists( 'as_schedule_single_action' );
	}

	/**
	 * The name of the scheduler in use, for log lines.
	 *
	 * @return string
	 */
	public function scheduler_name() {
		return $this->uses_action_scheduler() ? 'Action Scheduler' : 'WP-Cron';
	}

	/**
	 * Delay before the given next attempt: 60 s, doubled each time, at most 6 h.
	 *
	 * @param int $attempt The attempt about to be scheduled (2 for the first retry).
	 * @return int Seconds.
	 */
	public function backoff( $attempt ) {
		/**
		 * Filters the first retry delay in seconds (doubled for each later retry).
		 *
		 * @param int $seconds Default 60.
		 */
		$base  = max( 1, (int) apply_filters( 'closte_native_retry_base_delay', 60 ) );
		$delay = $base * ( 2 ** max( 0, (int) $attempt - 2 ) );
		return (int) min( $delay, 6 * HOUR_IN_SECONDS );
	}

	/**
	 * Schedules a job.
	 *
	 * @param string $operation 'add' or 'remove'.
	 * @param string $domain    The domain.
	 * @param int    $site_id   The site id.
	 * @param int    $attempt   The attempt number this job will be.
	 * @param int    $delay     Seconds from now.
	 * @return bool Whether it was scheduled.
	 */
	public function schedule( $operation, $domain, $site_id, $attempt, $delay ) {
		$payload = array(
			'operation' => (string) $operation,
			'domain'    => (string) $domain,
			'site_id'   => (int) $site_id,
			'attempt'   => (int) $attempt,
		);
		$when    = time() + max( 0, (int) $delay );
		if ( $this->uses_action_scheduler() ) {
			return (bool) as_schedule_single_action( $when, self::HOOK, array( $payload ), self::GROUP );
		}
		$switched = is_multisite() && ! is_main_site();
		if ( $switched ) {
			switch_to_blog( get_main_site_id() );
		}
		$scheduled = wp_schedule_single_event( $when, self::HOOK, array( $payload ) );
		if ( $switched ) {
			restore_current_blog();
		}
		return true === $scheduled;
	}

	/**
	 * Validates a job's argument.
	 *
	 * @param mixed $payload What the scheduler passed.
	 * @return array|null The payload, or null when malformed.
	 */
	public static function parse_payload( $payload ) {
		if ( ! is_array( $payload ) || ! isset( $payload['operation'], $payload['domain'] ) ) {
			return null;
		}
		if ( ! in_array( $payload['operation'], array( 'add', 'remove' ), true ) || '' === (string) $payload['domain'] ) {
			return null;
		}
		return array(
			'operation' => $payload['operation'],
			'domain'    => (string) $payload['domain'],
			'site_id'   => isset( $payload['site_id'] ) ? (int) $payload['site_id'] : 0,
			'attempt'   => isset( $payload['attempt'] ) ? max( 1, (int) $payload['attempt'] ) : 1,
		);
	}
}
