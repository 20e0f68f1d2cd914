// Browser tests of closte-native's network admin page (run by tests/browser/run.sh).
//
// Drives Debian's headless Chromium with playwright-core against the seeded
// multisite (see lib/seed.php) and the Closte simulator. Prints one line per
// test and a last line `RESULT passed=N failed=N`. Screenshots go to
// CLOSTE_BROWSER_ARTIFACTS.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const env = (name) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`missing ${name}: run tests/browser/run.sh`);
  return value;
};
const DOMAIN = env('CLOSTE_BROWSER_DOMAIN');
const IP = env('CLOSTE_BROWSER_IP');
const IP_BARE = process.env.CLOSTE_BROWSER_IP_BARE || ''; // the same site, served without the extension
const SIM = env('CLOSTE_SIM_URL');
const KEY = env('CLOSTE_TEST_KEY');
const VERSION = env('CLOSTE_VERSION');
const ARTIFACTS = env('CLOSTE_BROWSER_ARTIFACTS');
const DOC_SHOT = process.env.CLOSTE_BROWSER_DOC_SHOT || '';
const HAS_SSL = process.env.CLOSTE_HAS_SSL_STATUS !== '0';
const BASE = `http://${DOMAIN}`;
const PAGE_UM = `${BASE}/wp-admin/network/admin.php?page=closte-native`;
const PAGE_SETTINGS = `${BASE}/wp-admin/network/settings.php?page=closte-native`;
const WAIT = { timeout: 20000 };

let passed = 0;
let failed = 0;
let page;
let context;
const bodies = []; // [url, text] of every answer from WordPress, for the key check

async function shot(name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => {});
  return file;
}

async function test(name, body) {
  const started = Date.now();
  try {
    const outcome = await body();
    if (typeof outcome === 'string' && outcome.startsWith('skip: ')) {
      console.log(`skip ${name}: ${outcome.slice(6)}`);
      return;
    }
    passed++;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed++;
    const file = await shot(`failed-${passed + failed}`);
    console.log(`FAIL ${name}: ${String(error && error.message ? error.message : error).split('\n').slice(0, 6).join('\n     ')}`);
    console.log(`     screenshot: ${file}`);
  }
}

async function sim(method, pathAndQuery, body) {
  const response = await fetch(SIM + pathAndQuery, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

async function simAliases() {
  const answer = await sim('GET', `/_sim/aliases?key=${encodeURIComponent(KEY)}`);
  return [...answer.domains].sort();
}

async function simRequests() {
  const answer = await sim('GET', '/_sim/requests'); // a list; older simulators wrapped it in {requests}
  return Array.isArray(answer) ? answer : answer.requests;
}

async function simRequestCount() {
  return (await simRequests()).length;
}

// The deletedomainalias calls the simulator saw after the first `since` requests, as domain names.
async function simDeletesSince(since) {
  return (await simRequests()).slice(since)
    .filter((r) => r.path.endsWith('/deletedomainalias'))
    .map((r) => r.fields.domain);
}

// Changes Closte behind the page's back, through the API itself (as another tool would).
async function simApi(endpoint, domain) {
  const response = await fetch(`${SIM}/api/client/${endpoint}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ apikey: KEY, domain, wildcard: '0' }).toString(),
  });
  const answer = await response.json();
  if (!answer.success) throw new Error(`simulator ${endpoint} ${domain}: ${JSON.stringify(answer)}`);
}

async function login(user, password) {
  await context.clearCookies();
  await page.goto(`${BASE}/wp-login.php`);
  await page.fill('#user_login', user);
  await page.fill('#user_pass', password);
  await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
  await page.waitForSelector('#wpadminbar', WAIT);
}

async function openPage(url) {
  await page.goto(url);
  await page.waitForSelector('#closte-native-admin[data-domains-loaded="1"]', WAIT);
}

const row = (domain) => page.locator(`#closte-domains tr[data-domain="${domain}"]`);

async function rowStates() {
  return page.$$eval('#closte-domains tr.closte-row', (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.domain, r.dataset.state + (r.classList.contains('closte-drift') ? ' drift' : '')])));
}

async function ajax(action, fields) {
  // From inside the page, with its cookies: [status, body].
  return page.evaluate(async ([action, fields]) => {
    const body = new FormData();
    body.append('action', action);
    Object.entries(fields).forEach(([k, v]) => body.append(k, v));
    const response = await fetch('/wp-admin/admin-ajax.php', { method: 'POST', body, credentials: 'same-origin' });
    return [response.status, await response.text()];
  }, [action, fields]);
}

const profiles = [];

// A fresh browser (own --user-data-dir) that resolves the network's domain to `ip`.
async function launch(ip) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'closte-chromium-'));
  profiles.push(profile);
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=MAP ${DOMAIN} ${ip}`,
      '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable',
    ],
  });
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  page.on('response', async (response) => {
    if (!response.url().startsWith(BASE)) return;
    try { bodies.push([response.url(), await response.text()]); } catch (e) { /* redirects have no body */ }
  });
}

async function main() {
  try {
    await launch(IP);
    await run();
  } finally {
    if (context) await context.close().catch(() => {});
    profiles.forEach((profile) => fs.rmSync(profile, { recursive: true, force: true }));
  }
}

async function run() {
  await test('logs in as the network admin', async () => {
    await login('admin', 'admin-test-password');
    assert.match(page.url(), /\/wp-admin\/$/);
  });

  await test("the page sits under Ultimate Multisite's menu", async () => {
    await openPage(PAGE_UM);
    assert.equal(await page.textContent('#closte-native-admin h1'), 'Closte');
    const link = page.locator('#toplevel_page_wp-ultimo a[href$="admin.php?page=closte-native"]');
    assert.equal(await link.count(), 1, 'menu link under #toplevel_page_wp-ultimo');
  });

  await test('shows the extension version, the key hint and the DNS interval', async () => {
    assert.equal((await page.textContent('#closte-status-extension')).trim(), `Loaded, version ${VERSION}`);
    assert.equal((await page.textContent('#closte-status-key')).replace(/\s+/g, ' ').trim(),
      `Set, ending in …${KEY.slice(-4)} (from the CLOSTE_CLIENT_API_KEY constant in wp-config.php)`);
    const interval = (await page.textContent('#closte-status-interval')).replace(/\s+/g, ' ').trim();
    assert.match(interval, /^300 seconds \(configured: 600, which Ultimate Multisite clamps to 10–300\)$/);
    const html = await page.content();
    assert.ok(!html.includes(KEY) && !html.includes('SECRET'), 'the key is not in the page');
  });

  await test('Test connection reports success', async () => {
    await page.click('#closte-test-connection');
    const notice = page.locator('#closte-connection-result .notice-success');
    await notice.waitFor(WAIT);
    assert.equal(await notice.textContent(), 'Connected: Closte accepts the API key.');
  });

  await test('the domain table highlights drift on both sides', async () => {
    assert.deepEqual(await rowStates(), {
      [DOMAIN]: 'kept',
      'in-sync.example': 'in-sync',
      'orphan.example': 'only-on-closte drift',
      'shop.customer-one.example': 'missing-on-closte drift',
    });
    const driftNotice = await page.textContent('#closte-domains-notice');
    assert.match(driftNotice, /2 domain\(s\) out of sync\./);
    assert.match(driftNotice, /1 domain record\(s\) without an alias on Closte: "Sync now" adds them\./);
    assert.match(driftNotice, /1 alias\(es\) on Closte with no domain record: "Review extra aliases…" lists them before anything is removed\./);
    assert.equal((await row('orphan.example').locator('.closte-badge').textContent()), 'Only on Closte');
    assert.equal((await row('shop.customer-one.example').locator('.closte-badge').textContent()), 'Missing on Closte');
    assert.match(await row('shop.customer-one.example').locator('.closte-um').textContent(), /Yes · Site 2 · done/);
    const background = await row('orphan.example').locator('td').first().evaluate((td) => getComputedStyle(td).backgroundColor);
    assert.equal(background, 'rgb(252, 240, 241)', 'drift rows are tinted');
  });

  await test('certificates are checked row by row', async () => {
    if (!HAS_SSL) {
      // Not counted: an extension built before closte_ssl_status cannot check certificates.
      assert.equal(await row('in-sync.example').locator('.closte-cert').textContent(), 'Not available in this extension version');
      await shot('1-drift');
      return 'skip: this libcloste.so has no closte_ssl_status (rebuild it); certificate cells say so';
    }
    await page.waitForSelector('#closte-native-admin[data-certificates-checked="1"]', WAIT);
    const valid = row('in-sync.example').locator('.closte-cert');
    assert.match(await valid.getAttribute('class'), /closte-cert-ok/);
    assert.match(await valid.textContent(), /^Valid, 4[45] days left$/);
    assert.match(await valid.getAttribute('title'), /Issuer: .*Closte Browser Test CA/);
    const wrong = row('shop.customer-one.example').locator('.closte-cert');
    assert.equal(await wrong.textContent(), 'Wrong name');
    assert.match(await wrong.getAttribute('title'), /^name mismatch/);
    await shot('1-drift');
  });

  await test('shows the last lines of the integration log', async () => {
    const log = await page.textContent('#closte-log');
    assert.match(log, /\[INFO\] Added Closte domain alias in-sync\.example \(site 2\)/);
    assert.match(log, /\[ERROR\] Gave up: could not add Closte alias shop\.customer-one\.example/);
    assert.equal(await page.locator('#closte-log .closte-log-error').count(), 1);
    assert.equal(await page.locator('#closte-log .closte-log-warning').count(), 1);
  });

  await test('Sync now shows progress and a summary, adds the missing alias and removes nothing', async () => {
    const before = await simRequestCount();
    await sim('POST', '/_sim/fault', { kind: 'latency', ms: 700, count: 6 }); // slow enough to see the progress
    await page.click('#closte-sync');
    const progress = page.locator('#closte-sync-progress');
    await progress.waitFor({ state: 'visible', timeout: 5000 });
    assert.match(await progress.textContent(), /Step 1 of 2/);
    await page.waitForSelector('#closte-native-admin[data-sync-done="1"]', WAIT);
    assert.ok(await progress.isHidden(), 'progress hidden at the end');
    const summary = page.locator('#closte-sync-result .notice-success');
    assert.match(await summary.textContent(), /Sync finished: 1 added, 1 unchanged, 0 failed \(\d+ ms\)\. Nothing was removed\./);
    assert.match(await summary.textContent(), /Added: shop\.customer-one\.example/);
    assert.doesNotMatch(await summary.textContent(), /Removed/);
    await page.waitForSelector('#closte-native-admin[data-domains-loaded="1"]', WAIT);
    assert.deepEqual(await rowStates(), {
      [DOMAIN]: 'kept',
      'in-sync.example': 'in-sync',
      'orphan.example': 'only-on-closte drift',
      'shop.customer-one.example': 'in-sync',
    });
    assert.match(await page.textContent('#closte-domains-notice'), /1 alias\(es\) on Closte with no domain record/);
    assert.deepEqual(await simAliases(), [DOMAIN, 'in-sync.example', 'orphan.example', 'shop.customer-one.example'].sort());
    assert.deepEqual(await simDeletesSince(before), [], 'deletedomainalias calls');
    assert.match(await page.textContent('#closte-log'), /Sync from the admin page by admin: added \[shop\.customer-one\.example\], 1 unchanged, failed \[\]/);
    assert.equal(await page.locator('#closte-log .closte-log-error').count(), 1, 'levels after the log was drawn again');
    await sim('DELETE', '/_sim/fault');
    if (HAS_SSL) await page.waitForSelector('#closte-native-admin[data-certificates-checked="1"]', WAIT);
    await shot('2-synced');
    if (DOC_SHOT) {
      fs.mkdirSync(path.dirname(DOC_SHOT), { recursive: true });
      fs.copyFileSync(path.join(ARTIFACTS, '1-drift.png'), DOC_SHOT);
    }
  });

  await test('a Sync now request asking for remove_extra still removes nothing', async () => {
    const before = await simRequestCount();
    const nonce = await page.evaluate(() => window.closteNativeAdmin.nonce);
    const [status, body] = await ajax('closte_native_sync', { nonce, remove_extra: '1' });
    assert.equal(status, 200, body);
    assert.deepEqual(JSON.parse(body).data.removed, []);
    assert.ok((await simAliases()).includes('orphan.example'), 'orphan.example still on Closte');
    assert.deepEqual(await simDeletesSince(before), [], 'deletedomainalias calls');
  });

  await test('Review extra aliases lists the names and asks first; Cancel removes nothing', async () => {
    await simApi('adddomainalias', 'stale.example');
    await simApi('adddomainalias', 'claimed.example');
    const before = await simRequestCount();
    await page.click('#closte-extra-review');
    await page.waitForSelector('#closte-native-admin[data-extra-preview="1"]', WAIT);
    const box = page.locator('#closte-extra-confirm');
    assert.ok(await box.isVisible(), 'confirmation shown');
    assert.equal(await page.textContent('#closte-extra-question'), 'Remove these 3 aliases from Closte?');
    assert.deepEqual(await page.$$eval('#closte-extra-list li', (items) => items.map((li) => li.textContent)),
      ['claimed.example', 'orphan.example', 'stale.example']);
    assert.equal(await page.textContent('#closte-extra-remove'), 'Remove 3 aliases');
    await shot('3-confirm-removal');
    await page.click('#closte-extra-cancel');
    assert.ok(await box.isHidden(), 'confirmation hidden');
    assert.equal(await page.textContent('#closte-sync-result'), 'Nothing was removed.');
    assert.deepEqual(await simDeletesSince(before), [], 'deletedomainalias calls');
    assert.deepEqual(await simAliases(), [DOMAIN, 'claimed.example', 'in-sync.example', 'orphan.example', 'shop.customer-one.example', 'stale.example'].sort());
  });

  await test('the removal sends the confirmed names and removes only those still extra', async () => {
    await page.click('#closte-extra-review');
    await page.waitForSelector('#closte-native-admin[data-extra-preview="1"]', WAIT);
    assert.deepEqual(await page.$$eval('#closte-extra-list li', (items) => items.map((li) => li.textContent)),
      ['claimed.example', 'orphan.example', 'stale.example']);
    // Meanwhile: stale.example leaves Closte, claimed.example gets a domain record, late.example appears.
    await simApi('deletedomainalias', 'stale.example');
    const [recordStatus, recordBody] = await ajax('closte_browser_test_record', { verb: 'create', domain: 'claimed.example', blog_id: '2' });
    assert.equal(recordStatus, 200, recordBody);
    await simApi('adddomainalias', 'late.example');
    const before = await simRequestCount();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/admin-ajax.php') && (r.postData() || '').includes('closte_native_remove_extra')),
      page.click('#closte-extra-remove'),
    ]);
    // The form's domains field, one name a line (the browser sends CRLF line breaks).
    const field = /name="domains"\r\n\r\n([\s\S]*?)\r\n--/.exec(request.postData());
    assert.ok(field, `a domains field in ${request.postData()}`);
    assert.deepEqual(field[1].split(/\r?\n/), ['claimed.example', 'orphan.example', 'stale.example'], 'the confirmed names, exactly');
    await page.waitForSelector('#closte-native-admin[data-remove-done="1"]', WAIT);
    const summary = await page.textContent('#closte-sync-result');
    assert.match(summary, /Removal finished: 1 removed, 2 skipped, 0 failed/);
    assert.match(summary, /Removed: orphan\.example/);
    assert.match(summary, /Skipped: claimed\.example \(it has a domain record now\)/);
    assert.match(summary, /Skipped: stale\.example \(no longer on Closte\)/);
    assert.deepEqual(await simDeletesSince(before), ['orphan.example'], 'deletedomainalias calls');
    assert.deepEqual(await simAliases(), [DOMAIN, 'claimed.example', 'in-sync.example', 'late.example', 'shop.customer-one.example'].sort());
    await page.waitForSelector('#closte-native-admin[data-domains-loaded="1"]', WAIT);
    assert.deepEqual(await rowStates(), {
      [DOMAIN]: 'kept',
      'claimed.example': 'in-sync',
      'in-sync.example': 'in-sync',
      'late.example': 'only-on-closte drift',
      'shop.customer-one.example': 'in-sync',
    });
    assert.match(await page.textContent('#closte-log'),
      /Extra aliases removed from the admin page by admin, as confirmed: removed \[orphan\.example\], skipped \[claimed\.example \(has-record\), stale\.example \(not-on-closte\)\], failed \[\]/);
    await shot('4-removed');
  });

  await test('with no extra alias left, the review says so and shows no confirmation', async () => {
    const [status, body] = await ajax('closte_browser_test_record', { verb: 'delete', domain: 'claimed.example' });
    assert.equal(status, 200, body);
    await simApi('deletedomainalias', 'claimed.example');
    await simApi('deletedomainalias', 'late.example');
    const before = await simRequestCount();
    await page.click('#closte-extra-review');
    await page.waitForSelector('#closte-native-admin[data-extra-preview="none"]', WAIT);
    assert.ok(await page.locator('#closte-extra-confirm').isHidden(), 'no confirmation');
    assert.match(await page.textContent('#closte-sync-result .notice-success'), /^No alias to remove: every alias on Closte has a domain record or is one of the network's own domains\.$/);
    assert.deepEqual(await simDeletesSince(before), [], 'deletedomainalias calls');
    await page.click('#closte-refresh');
    await page.waitForSelector('#closte-native-admin[data-domains-loaded="1"]', WAIT);
    assert.equal(await page.locator('#closte-domains tr.closte-drift').count(), 0);
    assert.match(await page.textContent('#closte-domains-notice'), /agree/);
  });

  await test("Closte's refusals are shown as readable notices", async () => {
    await sim('POST', '/_sim/fault', { kind: 'status', status: 200, body: '{"success":false,"error":"Invalid API key"}' });
    try {
      await page.click('#closte-test-connection');
      const failedTest = page.locator('#closte-connection-result .notice-error');
      await failedTest.waitFor(WAIT);
      assert.match(await failedTest.textContent(), /^Connection test failed: .*Invalid API key/);
      await page.click('#closte-refresh');
      const failedList = page.locator('#closte-domains-notice .notice-error');
      await failedList.waitFor(WAIT);
      assert.equal(await failedList.textContent(), 'Closte refused the request: Invalid API key');
      await shot('3-refused');
    } finally {
      await sim('DELETE', '/_sim/fault');
    }
  });

  await test('the actions refuse a missing or wrong nonce', async () => {
    const before = await simRequestCount();
    for (const nonce of [null, 'not-a-nonce']) {
      const [status, body] = await ajax('closte_native_sync', nonce === null ? { remove_extra: '1' } : { nonce, remove_extra: '1' });
      assert.equal(status, 403, `nonce ${nonce}`);
      assert.match(body, /expired/);
    }
    // The removal's two steps take only their own nonces: not the page's general one, not each other's.
    const nonces = await page.evaluate(() => ({ page: window.closteNativeAdmin.nonce, ...window.closteNativeAdmin.nonces }));
    const refused = {
      closte_native_extra_preview: [null, 'not-a-nonce', nonces.page, nonces.remove],
      closte_native_remove_extra: [null, 'not-a-nonce', nonces.page, nonces.preview],
    };
    for (const [action, list] of Object.entries(refused)) {
      for (const nonce of list) {
        const fields = { domains: 'in-sync.example' };
        if (nonce !== null) fields.nonce = nonce;
        const [status, body] = await ajax(action, fields);
        assert.equal(status, 403, `${action} with nonce ${nonce}`);
        assert.match(body, /expired/, action);
      }
    }
    assert.equal(await simRequestCount(), before, 'nothing sent to Closte');
  });

  await test('a site admin without network rights is refused', async () => {
    await login('siteadmin', 'siteadmin-test-password');
    const response = await page.goto(PAGE_UM);
    assert.ok(response.status() === 403 || !(await page.locator('#closte-native-admin').count()), 'page not shown');
    await page.goto(`${BASE}/wp-admin/`);
    const nonceFor = async (action) => JSON.parse((await ajax('closte_browser_test_nonce', { for: action }))[1]).data;
    const nonce = await nonceFor('closte_native_admin');
    const before = await simRequestCount();
    for (const action of ['closte_native_sync', 'closte_native_test_connection', 'closte_native_domains', 'closte_native_ssl']) {
      const [status, body] = await ajax(action, { nonce, remove_extra: '1', domain: 'in-sync.example' });
      assert.equal(status, 403, action);
      assert.match(body, /not allowed/, action);
    }
    for (const action of ['closte_native_extra_preview', 'closte_native_remove_extra']) {
      const [status, body] = await ajax(action, { nonce: await nonceFor(action), domains: 'in-sync.example' });
      assert.equal(status, 403, action);
      assert.match(body, /not allowed/, action);
    }
    assert.equal(await simRequestCount(), before, 'nothing sent to Closte');
    assert.ok((await simAliases()).includes('in-sync.example'), 'in-sync.example still on Closte');
  });

  await test("falls back to Network Admin > Settings without Ultimate Multisite's menu", async () => {
    await login('admin', 'admin-test-password');
    await context.addCookies([{ name: 'closte_test_no_um_menu', value: '1', domain: DOMAIN, path: '/' }]);
    try {
      await openPage(PAGE_SETTINGS);
      assert.equal(await page.locator('#toplevel_page_wp-ultimo').count(), 0, 'no Ultimate Multisite menu');
      assert.equal(await page.locator('#menu-settings a[href$="settings.php?page=closte-native"]').count(), 1, 'link under Settings');
      assert.equal(await page.locator('#closte-domains tr.closte-drift').count(), 0);
    } finally {
      await context.clearCookies({ name: 'closte_test_no_um_menu' });
    }
  });

  await test('without the extension the page still opens and says so', async () => {
    if (!IP_BARE) {
      return 'skip: the system PHP loads the closte extension itself, so there is no server without it';
    }
    await context.close();
    await launch(IP_BARE);
    await login('admin', 'admin-test-password');
    await openPage(PAGE_UM);
    assert.equal((await page.textContent('#closte-status-extension')).trim(), 'Not loaded');
    assert.match(await page.textContent('#closte-status-state'), /extension is not loaded/);
    assert.ok(await page.isDisabled('#closte-test-connection'), 'Test connection disabled');
    assert.ok(await page.isDisabled('#closte-sync'), 'Sync now disabled');
    assert.ok(await page.isDisabled('#closte-extra-review'), 'Review extra aliases disabled');
    assert.match(await page.textContent('#closte-domains-notice .notice-error'), /closte extension is not loaded/);
    assert.deepEqual(await rowStates(), { 'in-sync.example': '', 'shop.customer-one.example': '' });
    assert.equal(await row('in-sync.example').locator('.closte-alias').textContent(), 'Unknown');
    assert.equal(await row('in-sync.example').locator('.closte-cert').textContent(), 'Extension not loaded');
    await shot('5-no-extension');
  });

  await test('no PHP error, warning, notice or deprecation from the plugin', async () => {
    const file = path.join(env('CLOSTE_BROWSER_WORK'), 'wp/wp-content/debug.log');
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
    const ours = lines.filter((line) => /\/wp-plugin\/|\/plugins\/closte-native\/|\/tests\/browser\//.test(line));
    assert.deepEqual(ours, [], 'debug.log lines from wp-plugin/ or tests/browser/');
  });

  await test('the key is in no page, answer or log', async () => {
    assert.ok(bodies.length > 20, `answers collected: ${bodies.length}`);
    for (const [url, text] of bodies) {
      assert.ok(!text.includes(KEY) && !text.includes(encodeURIComponent(KEY)) && !text.includes('SECRET_abc'), url);
    }
    const work = env('CLOSTE_BROWSER_WORK');
    for (const file of ['php-server-with.log', 'php-server-without.log', 'sim.log', 'seed.log', 'wp/wp-content/debug.log', 'wp/wp-content/uploads/wu-logs/integration-closte.log']) {
      const full = path.join(work, file);
      if (fs.existsSync(full)) assert.ok(!fs.readFileSync(full, 'utf8').includes('SECRET_abc'), file);
    }
  });
}

main()
  .catch((error) => {
    failed++;
    console.log(`FAIL browser session: ${error && error.stack ? error.stack : error}`);
  })
  .finally(() => {
    console.log(`RESULT passed=${passed} failed=${failed}`);
  });
