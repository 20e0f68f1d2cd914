<?php
/**
 * Ultimate Multisite's domain events, sent to Closte through the extension.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Handles wu_add_domain / wu_remove_domain (a Closte call each),
 * wu_add_subdomain / wu_remove_subdomain (no call, as the built-in
 * integration makes none), renames (the old alias is removed) and the
 * certificate-check retry count. Transient failures are retried through
 * Closte_Native_Queue; permanent refusals are logged and dropped. Outcomes
 * are told apart by the extension's exception classes and HTTP status,
 * never by the text of a message.
 */
class Closte_Native_Domain_Handler {

	/**
	 * Logger.
	 *
	 * @var Closte_Native_Logger
	 */
	private $logger;

	/**
	 * Job queue.
	 *
	 * @var Closte_Native_Queue
	 */
	private $queue;

	/**
	 * Keeps what it works with.
	 *
	 * @param Closte_Native_Logger $logger Logger.
	 * @param Closte_Native_Queue  $queue  Job queue.
	 */
	public function __construct( Closte_Native_Logger $logger, Closte_Native_Queue $queue ) {
		$this->logger = $logger;
		$this->queue  = $queue;
	}

	/**
	 * Registers the handlers.
	 *
	 * @return void
	 */
	public function register() {
		add_action( 'wu_add_domain', array( $this, 'on_add_domain' ), 10, 2 );
		add_action( 'wu_remove_domain', array( $this, 'on_remove_domain' ), 10, 2 );
		add_action( 'wu_add_subdomain', array( $this, 'on_subdomain' ), 10, 2 );
		add_action( 'wu_remove_subdomain', array( $this, 'on_subdomain' ), 10, 2 );
		add_action( 'wu_transition_domain_domain', array( $this, 'on_domain_renamed' ), 10, 3 );
		add_filter( 'wu_async_process_domain_stage_max_tries', array( $this, 'max_tries' ), 10, 2 );
	}

	/**
	 * Handler of wu_add_domain.
	 *
	 * @param string     $domain  The domain.
	 * @param int|string $site_id The site id (may arrive as a string).
	 * @return void
	 */
	public function on_add_domain( $domain, $site_id = 0 ) {
		$this->process( 'add', (string) $domain, (int) $site_id, 1 );
	}

	/**
	 * Handler of wu_remove_domain.
	 *
	 * @param string     $domain  The domain.
	 * @param int|string $site_id The site id (may arrive as a string).
	 * @return void
	 */
	public function on_remove_domain( $domain, $site_id = 0 ) {
		$this->process( 'remove', (string) $domain, (int) $site_id, 1 );
	}

	/**
	 * Handler of wu_add_subdomain and wu_remove_subdomain: nothing to send,
	 * as the built-in integration sends nothing. Ultimate Multisite fires
	 * them with the site's domain for every new or deleted site that is not
	 * on a base domain, a custom domain as well as a subdomain of the
	 * network; the domain record it creates for that name is what reaches
	 * Closte (wu_add_domain, wu_remove_domain).
	 *
	 * @param string     $subdomain The site's domain.
	 * @param int|string $site_id   The site id.
	 * @return void
	 */
	public function on_subdomain( $subdomain, $site_id = 0 ) {
		$this->logger->debug( sprintf( '%s for %s (site %d): no Closte call; the site\'s domain record, when it has one, adds or removes its alias.', current_filter(), $subdomain, (int) $site_id ) );
	}

	/**
	 * Handler of wu_transition_domain_domain: a renamed record leaves its old
	 * alias on Closte, so a job removes it ('new' means a new record).
	 *
	 * @param string $old_value Previous name, or 'new'.
	 * @param string $new_value New name.
	 * @param int    $domain_id The record id.
	 * @return void
	 */
	public function on_domain_renamed( $old_value, $new_value, $domain_id = 0 ) {
		$old = strtolower( trim( (string) $old_value ) );
		if ( '' === $old || 'new' === $old || strtolower( trim( (string) $new_value ) ) === $old ) {
			return;
		}
		$record  = function_exists( 'wu_get_domain' ) ? wu_get_domain( $domain_id ) : false;
		$site_id = ( $record && method_exists( $record, 'get_site_id' ) ) ? (int) $record->get_site_id() : 0;
		$this->logger->info( sprintf( 'Domain %s renamed to %s (site %d): removing the old Closte alias.', $old, $new_value, $site_id ) );
		$this->queue->schedule( 'remove', $old, $site_id, 1, 0 );
	}

	/**
	 * Filter wu_async_process_domain_stage_max_tries: certificates take minutes.
	 *
	 * @param int    $max_tries Tries allowed.
	 * @param object $domain    Ultimate Multisite's Domain model.
	 * @return int
	 */
	public function max_tries( $max_tries, $domain = null ) {
		if ( is_object( $domain ) && method_exists( $domain, 'get_stage' ) && 'checking-ssl-cert' === $domain->get_stage() ) {
			return 20;
		}
		return $max_tries;
	}

	/**
	 * Handler of this plugin's job hook (deferred removals and retries).
	 *
	 * @param mixed $payload The job's argument.
	 * @return void
	 */
	public function on_job( $payload ) {
		$job = Closte_Native_Queue::parse_payload( $payload );
		if ( null === $job ) {
			$this->logger->error( 'Ignored a malformed closte-native job.' );
			return;
		}
		$this->process( $job['operation'], $job['domain'], $job['site_id'], $job['attempt'] );
	}

	/**
	 * Sends one add or remove to Closte and deals with the outcome.
	 *
	 * @param string $operation 'add' or 'remove'.
	 * @param string $domain    The domain.
	 * @param int    $site_id   The site id.
	 * @param int    $attempt   1 for the event itself, more for retries.
	 * @return bool Whether Closte accepted it.
	 */
	public function process( $operation, $domain, $site_id, $attempt ) {
		/**
		 * Filters how long a call waits for another node's call for the same
		 * domain to end (seconds, default 30); then it is retried later.
		 *
		 * @param int $seconds Seconds.
		 */
		$wait = (int) apply_filters( 'closte_native_lock_wait', 30 );
		if ( ! Closte_Native_Domain_Lock::acquire( $domain, $wait ) ) {
			$this->transient_failure( $operation, $domain, $site_id, $attempt, sprintf( 'another call for %s held its lock for %d s', $domain, $wait ) );
			return false;
		}
		$locked_at = microtime( true );
		try {
			return $this->decide_and_call( $operation, $domain, $site_id, $attempt );
		} finally {
			Closte_Native_Domain_Lock::release( $domain );
			$this->logger->debug( sprintf( 'Lock of %s held %d ms.', $domain, (int) round( ( microtime( true ) - $locked_at ) * 1000 ) ) );
		}
	}

	/**
	 * Under the domain's lock: asks Ultimate Multisite whether the call is
	 * still wanted (an add for a domain it has no record of any more, or a
	 * removal of one it has again, is dropped: whatever order the queue
	 * runners took, the last word is Ultimate Multisite's), then makes it.
	 *
	 * @param string $operation 'add' or 'remove'.
	 * @param string $domain    The domain.
	 * @param int    $site_id   The site id.
	 * @param int    $attempt   1 for the event itself, more for retries.
	 * @return bool Whether Closte accepted it.
	 */
	private function decide_and_call( $operation, $domain, $site_id, $attempt ) {
		$verb   = 'add' === $operation ? 'add' : 'remove';
		$mapped = Closte_Native_Um_State::is_mapped( $domain );
		if ( null !== $mapped && ( 'add' === $operation ) !== $mapped ) {
			$this->logger->info(
				sprintf(
					'Dropped the call to %s Closte alias %s (site %d, attempt %d): Ultimate Multisite %s.',
					$verb,
					$domain,
					$site_id,
					$attempt,
					$mapped ? 'maps the domain again' : 'has no record of the domain any more'
				)
			);
			return false;
		}
		$options = Closte_Native_Request_Options::build( $operation, $domain );
		try {
			$result = 'add' === $operation ? closte_add_domain( $domain, $options ) : closte_remove_domain( $domain, $options );
			$name   = isset( $result['domain'] ) ? (string) $result['domain'] : $domain;
			if ( 'add' === $operation ) {
				Closte_Native_Um_State::remember_added( $name );
			} else {
				Closte_Native_Um_State::forget_added( $name );
			}
			$this->logger->info(
				sprintf(
					'%s Closte domain alias %s (site %d): HTTP %d, %d attempt(s), %d ms.',
					'add' === $operation ? 'Added' : 'Removed',
					$name,
					$site_id,
					isset( $result['status'] ) ? (int) $result['status'] : 0,
					isset( $result['attempts'] ) ? (int) $result['attempts'] : 0,
					isset( $result['elapsed_ms'] ) ? (int) $result['elapsed_ms'] : 0
				)
			);
			return true;
		} catch ( Closte\InvalidDomainException $e ) {
			$this->logger->error( sprintf( 'Did not %s %s (site %d) on Closte: not a valid domain name: %s', $verb, $domain, $site_id, $e->getMessage() ) );
		} catch ( Closte\ManagedDomainException $e ) {
			// Expected: Closte serves the name itself. Not an outage, not retried.
			$this->logger->info( sprintf( 'Closte manages %s itself, no alias to %s (site %d)%s.', $domain, $verb, $site_id, self::closte_said( $e ) ) );
		} catch ( Closte\ApiException $e ) {
			$status = (int) $e->getStatusCode();
			if ( 429 === $status || $status >= 500 ) {
				$this->transient_failure( $operation, $domain, $site_id, $attempt, sprintf( 'HTTP %d: %s%s', $status, $e->getMessage(), self::closte_said( $e ) ) );
			} else {
				$this->logger->error( sprintf( 'Closte refused to %s alias %s (site %d): HTTP %d: %s%s', $verb, $domain, $site_id, $status, $e->getMessage(), self::closte_said( $e ) ) );
			}
		} catch ( Closte\TransportException $e ) {
			$this->transient_failure( $operation, $domain, $site_id, $attempt, $e->getMessage() );
		} catch ( Closte\Exception $e ) {
			$this->logger->error( sprintf( 'Could not %s Closte alias %s (site %d): %s: %s', $verb, $domain, $site_id, get_class( $e ), $e->getMessage() ) );
		}
		return false;
	}

	/**
	 * Closte's own words of an ApiException, quoted for a log line
	 * ('; Closte said: "…"'), or '' when it gave none or the extension
	 * withheld them.
	 *
	 * @param Closte\ApiException $error The exception.
	 * @return string
	 */
	private static function closte_said( $error ) {
		$words = (string) $error->getApiError();
		return '' === $words ? '' : '; Closte said: ' . Closte_Native_Logger::quote( $words );
	}

	/**
	 * Re-queues after a transient failure, or gives up at the bound.
	 *
	 * @param string $operation 'add' or 'remove'.
	 * @param string $domain    The domain.
	 * @param int    $site_id   The site id.
	 * @param int    $attempt   The attempt that failed.
	 * @param string $reason    What went wrong.
	 * @return void
	 */
	private function transient_failure( $operation, $domain, $site_id, $attempt, $reason ) {
		/**
		 * Filters how many attempts an event gets in all (default 6).
		 *
		 * @param int $attempts Attempts.
		 */
		$max  = max( 1, (int) apply_filters( 'closte_native_max_attempts', 6 ) );
		$verb = 'add' === $operation ? 'add' : 'remove';
		if ( $attempt >= $max ) {
			$this->logger->error( sprintf( 'Gave up: could not %s Closte alias %s (site %d) after %d attempts. Last error: %s', $verb, $domain, $site_id, $attempt, $reason ) );
			return;
		}
		$delay = $this->queue->backoff( $attempt + 1 );
		if ( ! $this->queue->schedule( $operation, $domain, $site_id, $attempt + 1, $delay ) ) {
			$this->logger->error( sprintf( 'Could not %s Closte alias %s (site %d): %s; and the retry could not be scheduled.', $verb, $domain, $site_id, $reason ) );
			return;
		}
		$this->logger->warning( sprintf( 'Closte unavailable to %s alias %s (site %d): %s. Attempt %d of %d; retry in %d s via %s.', $verb, $domain, $site_id, $reason, $attempt, $max, $delay, $this->queue->scheduler_name() ) );
	}
}
