<?php
/**
 * Ultimate Multisite's Closte domain-mapping capability, served by the
 * extension.
 *
 * Loaded only from Closte_Native_Um_Takeover, once Ultimate Multisite's
 * capability classes exist (2.5 and later).
 *
 * @package Closte_Native
 */

defined( 'ABSPATH' ) || exit;

/**
 * Attached to the 'closte' integration in place of the built-in
 * Closte_Domain_Mapping (the registry keeps one module per capability id).
 * Ultimate Multisite calls register_hooks() only while the integration is
 * enabled and has its key, exactly as it would the built-in one; the hooks
 * are those of Closte_Native_Domain_Handler.
 */
class Closte_Native_Um_Domain_Mapping extends WP_Ultimo\Integrations\Base_Capability_Module implements WP_Ultimo\Integrations\Capabilities\Domain_Mapping_Capability {

	/**
	 * What the wizard lists for this capability: Closte issues the
	 * certificate by itself once the alias exists.
	 *
	 * @var array
	 */
	protected array $supported_features = array( 'autossl' );

	/**
	 * The handler that does the work.
	 *
	 * @var Closte_Native_Domain_Handler
	 */
	private $handler;

	/**
	 * Keeps what it works with.
	 *
	 * @param Closte_Native_Domain_Handler $handler The domain event handler.
	 */
	public function __construct( Closte_Native_Domain_Handler $handler ) {
		$this->handler = $handler;
	}

	/**
	 * The capability id the built-in module has.
	 *
	 * @return string
	 */
	public function get_capability_id(): string {
		return 'domain-mapping';
	}

	/**
	 * The title Ultimate Multisite shows.
	 *
	 * @return string
	 */
	public function get_title(): string {
		return __( 'Domain Mapping (closte extension)', 'closte-native' );
	}

	/**
	 * What the wizard tells the admin.
	 *
	 * @return array
	 */
	public function get_explainer_lines(): array {
		return array(
			'will'     => array(
				__( 'Add each domain mapped in this network as a domain alias of the Closte app, and remove it when it is unmapped or renamed (through the closte PHP extension, with retries while Closte is unreachable)', 'closte-native' ),
				__( 'Let Closte issue the SSL certificate of each alias by itself', 'closte-native' ),
			),
			'will_not' => array(),
		);
	}

	/**
	 * Called by Ultimate Multisite while the integration is enabled and set up.
	 */
	public function register_hooks(): void {
		$this->handler->register();
	}

	/**
	 * Serves wu_add_domain, when Ultimate Multisite calls the capability directly.
	 *
	 * @param string $domain  The domain.
	 * @param int    $site_id The site.
	 */
	public function on_add_domain( string $domain, int $site_id ): void {
		$this->handler->on_add_domain( $domain, $site_id );
	}

	/**
	 * Serves wu_remove_domain, when Ultimate Multisite calls the capability directly.
	 *
	 * @param string $domain  The domain.
	 * @param int    $site_id The site.
	 */
	public function on_remove_domain( string $domain, int $site_id ): void {
		$this->handler->on_remove_domain( $domain, $site_id );
	}

	/**
	 * Serves wu_add_subdomain: nothing to send.
	 *
	 * @param string $subdomain The subdomain.
	 * @param int    $site_id   The site.
	 */
	public function on_add_subdomain( string $subdomain, int $site_id ): void {
		$this->handler->on_subdomain( $subdomain, $site_id );
	}

	/**
	 * Serves wu_remove_subdomain: nothing to send.
	 *
	 * @param string $subdomain The subdomain.
	 * @param int    $site_id   The site.
	 */
	public function on_remove_subdomain( string $subdomain, int $site_id ): void {
		$this->handler->on_subdomain( $subdomain, $site_id );
	}

	/**
	 * The same test as the integration's.
	 *
	 * @return true|WP_Error
	 */
	public function test_connection() {
		$integration = $this->get_integration();
		return $integration->test_connection();
	}
}
