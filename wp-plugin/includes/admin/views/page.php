<?php
/**
 * The network admin page's frame (Closte_Native_Admin::render()).
 *
 * @package Closte_Native
 *
 * @var array $view Prepared by Closte_Native_Admin::render().
 */

defined( 'ABSPATH' ) || exit;

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedVariableFound -- included from inside Closte_Native_Admin::render(): these are that method's locals, not globals.

$closte_states = array(
	'active'         => __( 'Active: domain events go to Closte through the extension.', 'closte-native' ),
	'disabled'       => __( 'Off: the Closte host integration is disabled in Ultimate Multisite.', 'closte-native' ),
	'no-key'         => __( 'Off: the API key is not defined, so Ultimate Multisite\'s built-in integration handles domains.', 'closte-native' ),
	'no-extension'   => __( 'Off: the extension is not loaded, so Ultimate Multisite\'s built-in integration handles domains.', 'closte-native' ),
	'um-unsupported' => __( 'Off: this Ultimate Multisite has no integration registry (version 2.5 or later is needed).', 'closte-native' ),
);
$closte_ready  = null !== $view['version'] && $view['key_set'];
?>
<div class="wrap closte-native-admin" id="closte-native-admin">
	<h1><?php esc_html_e( 'Closte', 'closte-native' ); ?></h1>
	<p class="description"><?php esc_html_e( 'The native Closte integration for Ultimate Multisite: its set-up, the domains on each side, their certificates and the integration log.', 'closte-native' ); ?></p>

	<h2><?php esc_html_e( 'Status', 'closte-native' ); ?></h2>
	<table class="widefat striped closte-status" id="closte-status">
		<tbody>
			<tr>
				<th scope="row"><?php esc_html_e( 'Closte PHP extension', 'closte-native' ); ?></th>
				<td id="closte-status-extension">
					<?php if ( null !== $view['version'] ) : ?>
						<span class="closte-ok">
						<?php
						/* translators: %s: the extension's version. */
						echo esc_html( sprintf( __( 'Loaded, version %s', 'closte-native' ), $view['version'] ) );
						?>
						</span>
					<?php else : ?>
						<span class="closte-error"><?php esc_html_e( 'Not loaded', 'closte-native' ); ?></span>
					<?php endif; ?>
				</td>
			</tr>
			<tr>
				<th scope="row"><?php esc_html_e( 'Native domain handling', 'closte-native' ); ?></th>
				<td id="closte-status-state"><?php echo esc_html( isset( $closte_states[ $view['state'] ] ) ? $closte_states[ $view['state'] ] : $view['state'] ); ?></td>
			</tr>
			<tr>
				<th scope="row"><?php esc_html_e( 'API key', 'closte-native' ); ?></th>
				<td id="closte-status-key">
					<?php if ( $view['key_set'] && '' !== $view['key_hint'] ) : ?>
						<span class="closte-ok">
						<?php
						/* translators: %s: the last 4 characters of the API key. */
						echo esc_html( sprintf( __( 'Set, ending in …%s', 'closte-native' ), $view['key_hint'] ) );
						?>
						</span>
					<?php elseif ( $view['key_set'] ) : ?>
						<span class="closte-ok"><?php esc_html_e( 'Set', 'closte-native' ); ?></span>
					<?php endif; ?>
					<?php if ( 'constant' === $view['key_source'] ) : ?>
						<span id="closte-status-key-source"><?php esc_html_e( '(from the CLOSTE_CLIENT_API_KEY constant in wp-config.php)', 'closte-native' ); ?></span>
					<?php elseif ( 'ultimate-multisite' === $view['key_source'] ) : ?>
						<span id="closte-status-key-source"><?php esc_html_e( '(saved in Ultimate Multisite\'s Closte integration settings)', 'closte-native' ); ?></span>
					<?php else : ?>
						<span class="closte-error"><?php esc_html_e( 'Not set: define CLOSTE_CLIENT_API_KEY in wp-config.php, or enter the key in Ultimate Multisite\'s Closte integration settings', 'closte-native' ); ?></span>
					<?php endif; ?>
				</td>
			</tr>
			<tr>
				<th scope="row"><?php esc_html_e( 'Closte API URL', 'closte-native' ); ?></th>
				<td id="closte-status-api-url"><code><?php echo esc_html( '' !== $view['api_url'] ? $view['api_url'] : __( 'default', 'closte-native' ) ); ?></code></td>
			</tr>
			<tr>
				<th scope="row"><?php esc_html_e( 'Proxy', 'closte-native' ); ?></th>
				<td id="closte-status-proxy">
					<?php
					$closte_proxy = $view['proxy'];
					if ( 'wordpress' === $closte_proxy['route'] && $closte_proxy['authenticated'] ) { // phpcs:ignore WordPress.WP.CapitalPDangit.MisspelledInText -- a route id, not the name.
						/* translators: %s: the proxy's host:port. */
						echo esc_html( sprintf( __( '%s (from WP_PROXY_*), with a user name and password', 'closte-native' ), $closte_proxy['address'] ) );
					} elseif ( 'wordpress' === $closte_proxy['route'] ) { // phpcs:ignore WordPress.WP.CapitalPDangit.MisspelledInText -- a route id, not the name.
						/* translators: %s: the proxy's host:port. */
						echo esc_html( sprintf( __( '%s (from WP_PROXY_*)', 'closte-native' ), $closte_proxy['address'] ) );
					} elseif ( 'bypass' === $closte_proxy['route'] ) {
						/* translators: %s: the proxy's host:port. */
						echo esc_html( sprintf( __( 'None: WordPress bypasses its proxy (%s) for the Closte API host (WP_PROXY_BYPASS_HOSTS)', 'closte-native' ), $closte_proxy['address'] ) );
					} elseif ( 'ini' === $closte_proxy['route'] ) {
						/* translators: %s: the proxy's host:port. */
						echo esc_html( sprintf( __( '%s (from closte.proxy in php.ini)', 'closte-native' ), $closte_proxy['address'] ) );
					} else {
						esc_html_e( 'None: direct connection', 'closte-native' );
					}
					?>
				</td>
			</tr>
			<tr>
				<th scope="row"><?php esc_html_e( 'DNS check interval', 'closte-native' ); ?></th>
				<td id="closte-status-interval">
					<?php
					/* translators: %d: seconds. */
					echo esc_html( sprintf( _n( '%d second', '%d seconds', $view['interval']['seconds'], 'closte-native' ), $view['interval']['seconds'] ) );
					if ( $view['interval']['clamped'] ) {
						echo ' <span class="description">';
						/* translators: %d: the configured number of seconds. */
						echo esc_html( sprintf( __( '(configured: %d, which Ultimate Multisite clamps to 10–300)', 'closte-native' ), $view['interval']['configured'] ) );
						echo '</span>';
					} elseif ( null === $view['interval']['configured'] ) {
						echo ' <span class="description">' . esc_html__( '(default)', 'closte-native' ) . '</span>';
					}
					?>
				</td>
			</tr>
		</tbody>
	</table>
	<p>
		<button type="button" class="button" id="closte-test-connection" <?php disabled( ! $closte_ready ); ?>><?php esc_html_e( 'Test connection', 'closte-native' ); ?></button>
	</p>
	<div id="closte-connection-result" class="closte-result" role="status" aria-live="polite"></div>

	<h2><?php esc_html_e( 'Domains', 'closte-native' ); ?></h2>
	<p class="description"><?php esc_html_e( 'Ultimate Multisite\'s domain records next to the aliases Closte has. A name on one side only is highlighted.', 'closte-native' ); ?></p>
	<p class="closte-actions">
		<button type="button" class="button button-primary" id="closte-sync" <?php disabled( ! $closte_ready ); ?>><?php esc_html_e( 'Sync now', 'closte-native' ); ?></button>
		<button type="button" class="button" id="closte-refresh"><?php esc_html_e( 'Refresh', 'closte-native' ); ?></button>
		<button type="button" class="button" id="closte-extra-review" <?php disabled( ! $closte_ready ); ?>><?php esc_html_e( 'Review extra aliases…', 'closte-native' ); ?></button>
		<button type="button" class="button" id="closte-reconcile" <?php disabled( ! $closte_ready || 'active' !== $view['state'] ); ?>><?php esc_html_e( 'Reconcile now', 'closte-native' ); ?></button>
	</p>
	<p class="description"><?php esc_html_e( '"Sync now" adds the aliases that are missing on Closte and never removes one. "Review extra aliases…" lists the aliases that no domain record wants (the network\'s own domains are never listed) and removes only the ones you confirm. "Reconcile now" runs the daily reconcile: it adds what is missing and removes only aliases this plugin itself added whose domain record is gone.', 'closte-native' ); ?></p>
	<div id="closte-sync-progress" class="closte-progress" hidden>
		<progress max="2" value="0"></progress>
		<span class="closte-progress-text"></span>
	</div>
	<div id="closte-sync-result" class="closte-result" role="status" aria-live="polite"></div>
	<div id="closte-extra-confirm" class="closte-confirm notice notice-warning inline" role="alertdialog" aria-labelledby="closte-extra-question" aria-describedby="closte-extra-detail" hidden>
		<p><strong id="closte-extra-question"></strong></p>
		<p id="closte-extra-detail"></p>
		<ul id="closte-extra-list" class="closte-details"></ul>
		<p id="closte-extra-note" class="description"></p>
		<p>
			<button type="button" class="button button-primary closte-button-danger" id="closte-extra-remove"></button>
			<button type="button" class="button" id="closte-extra-cancel"><?php esc_html_e( 'Cancel', 'closte-native' ); ?></button>
		</p>
	</div>
	<div id="closte-domains-notice" class="closte-result" role="status" aria-live="polite"></div>
	<table class="widefat closte-domains" id="closte-domains">
		<thead>
			<tr>
				<th scope="col"><?php esc_html_e( 'Domain', 'closte-native' ); ?></th>
				<th scope="col"><?php esc_html_e( 'Ultimate Multisite record', 'closte-native' ); ?></th>
				<th scope="col"><?php esc_html_e( 'Alias on Closte', 'closte-native' ); ?></th>
				<th scope="col"><?php esc_html_e( 'Certificate', 'closte-native' ); ?></th>
				<th scope="col"><?php esc_html_e( 'State', 'closte-native' ); ?></th>
			</tr>
		</thead>
		<tbody>
			<tr><td colspan="5"><?php esc_html_e( 'Loading domains…', 'closte-native' ); ?></td></tr>
		</tbody>
	</table>
	<noscript><p><?php esc_html_e( 'The domain table, the connection test, the sync and the removal of extra aliases need JavaScript.', 'closte-native' ); ?></p></noscript>

	<h2><?php esc_html_e( 'Integration log', 'closte-native' ); ?></h2>
	<p class="description">
		<?php
		/* translators: 1: number of lines, 2: file path. */
		echo esc_html( sprintf( __( 'The last %1$d lines of %2$s.', 'closte-native' ), Closte_Native_Admin_Status::LOG_LINES, $view['log_file'] ) );
		?>
	</p>
	<?php if ( $view['log_lines'] ) : ?>
		<?php
		// Printed from PHP, so that no indentation ends up inside the <pre>.
		echo '<pre class="closte-log" id="closte-log">';
		foreach ( $view['log_lines'] as $closte_line ) {
			// The level is the one right after the time ("[time] [LEVEL] " today, "time - LEVEL - " before), whatever the message quotes.
			$closte_level = '';
			if ( preg_match( '/^\[[^\]]*\] \[([A-Za-z]+)\] /', $closte_line, $closte_match ) || preg_match( '/^.*? - ([A-Z]+) - /', $closte_line, $closte_match ) ) {
				$closte_level = strtoupper( $closte_match[1] );
			}
			if ( in_array( $closte_level, array( 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY' ), true ) ) {
				$closte_class = 'closte-log-error';
			} elseif ( 'WARNING' === $closte_level ) {
				$closte_class = 'closte-log-warning';
			} else {
				$closte_class = 'closte-log-line';
			}
			echo '<span class="' . esc_attr( $closte_class ) . '">' . esc_html( $closte_line ) . "</span>\n";
		}
		echo '</pre>';
		?>
	<?php else : ?>
		<p id="closte-log"><?php esc_html_e( 'The log is empty or does not exist yet.', 'closte-native' ); ?></p>
	<?php endif; ?>
</div>
