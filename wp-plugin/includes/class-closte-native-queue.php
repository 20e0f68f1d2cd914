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
 * WP-Cron otherwise, on the network's main site: Action Scheduler's tables,
 * like WP-Cron's events, belong to one site, and Ultimate Multisite runs its
 * domain jobs on the main site too.
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
		$payload  = array(
			'operation' => (string) $operation,
			'domain'    => (string) $domain,
			'site_id'   => (int) $site_id,
			'attempt'   => (int) $attempt,
		);
		$when     = time() + max( 0, (int) $delay );
		$switched = self::switch_to_main_site();
		if ( $this->uses_action_scheduler() ) {
			$scheduled = 0 < (int) as_schedule_single_action( $when, self::HOOK, array( $payload ), self::GROUP );
		} else {
			$scheduled = true === wp_schedule_single_event( $when, self::HOOK, array( $payload ) );
		}
		if ( $switched ) {
			restore_current_blog();
		}
		return $scheduled;
	}

	/**
	 * Removes every pending job of this plugin, whatever its payload: the
	 * Action Scheduler actions of the hook in this plugin's group and the
	 * hook's WP-Cron events, on the main site. Used on deactivation and by
	 * uninstall.php; nothing else of the plugin needs to be loaded.
	 *
	 * Jobs of other hooks, and this hook's jobs in other groups, are left
	 * alone. A job already running is not stopped.
	 *
	 * @return int How many jobs were removed.
	 */
	public static function unschedule_all() {
		$removed  = 0;
		$switched = self::switch_to_main_site();
		if ( self::action_scheduler_ready() ) {
			$pending = array(
				'hook'     => self::HOOK,
				'group'    => self::GROUP,
				'status'   => 'pending',
				'per_page' => -1,
			);
			$before  = count( as_get_scheduled_actions( $pending, 'ids' ) );

			/*
			 * Null args, not array(): Action Scheduler matches an args array
			 * exactly, so array() would only find jobs scheduled without
			 * arguments, and every job here carries its payload.
			 */
			// @phpstan-ignore-next-line -- its doc block says array; null is how it takes "any args".
			as_unschedule_all_actions( self::HOOK, null, self::GROUP );
			$removed += max( 0, $before - count( as_get_scheduled_actions( $pending, 'ids' ) ) );
		}
		// Always, also with Action Scheduler: events left from a time it was missing.
		$events = wp_unschedule_hook( self::HOOK );
		if ( is_int( $events ) ) {
			$removed += $events;
		}
		if ( $switched ) {
			restore_current_blog();
		}
		return $removed;
	}

	/**
	 * Whether Action Scheduler's functions may be called: loaded, and its
	 * data store initialised (before that they do nothing but complain).
	 *
	 * @return bool
	 */
	private static function action_scheduler_ready() {
		if ( ! function_exists( 'as_unschedule_all_actions' ) || ! function_exists( 'as_get_scheduled_actions' ) ) {
			return false;
		}
		if ( class_exists( 'ActionScheduler', false ) && method_exists( 'ActionScheduler', 'is_initialized' ) ) {
			return (bool) ActionScheduler::is_initialized();
		}
		return true;
	}

	/**
	 * Switches to the network's main site unless it is the current one.
	 *
	 * @return bool Whether it switched (then the caller restores).
	 */
	private static function switch_to_main_site() {
		if ( ! is_multisite() || is_main_site() ) {
			return false;
		}
		switch_to_blog( get_main_site_id() );
		return true;
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
