<?php
/**
 * Domain records for new and duplicated sites.
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Makes sure a new or duplicated site's own domain reaches Closte once.
 *
 * Newer Ultimate Multisite versions create a domain record for a new site
 * themselves (on wp_insert_site, priority 10), which fires wu_add_domain.
 * Older ones do not. This class runs after them (priority 100 on
 * wp_insert_site and wu_duplicate_site) and looks the site's domain up with
 * wu_get_domain_by_domain(): when a record exists, Ultimate Multisite (or
 * someone) already did it and nothing more happens; otherwise it creates one
 * with wu_create_domain() at stage checking-dns, which sends it to Closte
 * like any mapped domain. Never for the network's base domain, and only when
 * the filter wu_should_create_domain_record_for_site allows it.
 */
class Closte_Native_Site_Domains {

	/**
	 * Logger.
	 *
	 * @var Closte_Native_Logger
	 */
	private $logger;

	/**
	 * @param Closte_Native_Logger $logger Logger.
	 */
	public function __construct( Closte_Native_Logger $logger ) {
		$this->logger = $logger;
	}

	/**
	 * Registers the handlers, after Ultimate Multisite's own.
	 */
	public function register() {
		add_action( 'wp_insert_site', array( $this, 'on_site_created' ), 100, 1 );
		add_action( 'wu_duplicate_site', array( $this, 'on_site_duplicated' ), 100, 1 );
	}

	/**
	 * Handler of wp_insert_site.
	 *
	 * @param WP_Site $site The new site.
	 */
	public function on_site_created( $site ) {
		if ( $site instanceof WP_Site ) {
			$this->ensure_record( $site );
		}
	}

	/**
	 * Handler of wu_duplicate_site( array( 'site_id' => int ) ).
	 *
	 * @param array|int $args The duplication result.
	 */
	public function on_site_duplicated( $args ) {
		$site_id = is_array( $args ) ? ( isset( $args['site_id'] ) ? (int) $args['site_id'] : 0 ) : (int) $args;
		$site    = $site_id ? get_site( $site_id ) : null;
		if ( $site instanceof WP_Site ) {
			$this->ensure_record( $site );
		}
	}

	/**
	 * Creates the site's domain record when nothing else did.
	 *
	 * @param WP_Site $site The site.
	 * @return object|null The record created, or null when none was needed.
	 */
	public function ensure_record( WP_Site $site ) {
		if ( ! function_exists( 'wu_create_domain' ) || ! function_exists( 'wu_get_domain_by_domain' ) ) {
			return null;
		}
		$domain  = strtolower( $site->domain );
		$network = get_network( $site->network_id );
		if ( ! $network || strtolower( $network->domain ) === $domain ) {
			return null;
		}
		if ( wu_get_domain_by_domain( $domain ) ) {
			return null;
		}
		if ( ! apply_filters( 'wu_should_create_domain_record_for_site', true, $site ) ) {
			return null;
		}
		$record = wu_create_domain(
			array(
				'blog_id'        => (int) $site->blog_id,
				'domain'         => $domain,
				'active'         => true,
				'primary_domain' => true,
				'secure'         => false,
				'stage'          => 'checking-dns',
			)
		);
		if ( is_wp_error( $record ) ) {
			$this->logger->error( sprintf( 'Could not create the domain record for %s (site %d): %s', $domain, $site->blog_id, $record->get_error_message() ) );
			return null;
		}
		$this->logger->info( sprintf( 'Created the domain record for %s (site %d), which this Ultimate Multisite version does not create itself.', $domain, $site->blog_id ) );
		return $record;
	}
}
