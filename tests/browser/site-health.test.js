// Browser test of closte-native's Site Health tests and Info section (run by
// tests/browser/run.sh, after admin-page.test.js, on the same network).
//
// Drives Debian's headless Chromium with playwright-core: opens Tools > Site
// Health on the main site as the network admin, waits for the asynchronous
// tests, checks the Closte ones against the network's state, opens the Info
// tab, and checks that a site administrator without view_site_health_checks
// is refused. Prints one line per test and a last line
// `RESULT passed=N failed=N`. Screenshots go to CLOSTE_BROWSER_ARTIFACTS.
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
const SIM = env('CLOSTE_SIM_URL');
const KEY = env('CLOSTE_TEST_KEY');
const VERSION = env('CLOSTE_VERSION');
const ARTIFACTS = env('CLOSTE_BROWSER_ARTIFACTS');
const DOC_SHOT = process.env.CLOSTE_BROWSER_DOC_SHOT || '';
const BASE = `http://${DOMAIN}`;
const STATUS_PAGE = `${BASE}/wp-admin/site-health.php`;
const INFO_PAGE = `${BASE}/wp-admin/site-health.php?tab=debug`;
const CLOSTE_PAGE = `${BASE}/wp-admin/network/admin.php?page=closte-native`;
const EXTRA = 'health-orphan.example'; // an alias with no domain record, made here
const WAIT = { timeout: 30000 };
const TESTS = ['closte_native_extension', 'closte_native_key', 'closte_native_key_accepted',
  'closte_native_ssl_failed', 'closte_native_certificates', 'closte_native_drift'];

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

// The whole page in a viewport as tall as it: a full-page capture paints the fixed admin bar and menu mid-page.
async function tallShot(name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height });
  try {
    await page.screenshot({ path: file });
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  return file;
}

async function test(name, body) {
  const started = Date.now();
  try {
    await body();
    passed++;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed++;
    const file = await shot(`site-health-failed-${passed + failed}`);
    console.log(`FAIL ${name}: ${String(error && error.message ? error.message : error).split('\n').slice(0, 6).join('\n     ')}`);
    console.log(`     screenshot: ${file}`);
  }
}

// Changes Closte behind WordPress's back, through the API itself (as another tool would).
async function simApi(endpoint, domain) {
  const response = await fetch(`${SIM}/api/client/${endpoint}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ apikey: KEY, domain, wildcard: '0' }).toString(),
  });
  const answer = await response.json();
  if (!answer.success) throw new Error(`simulator ${endpoint} ${domain}: ${JSON.stringify(answer)}`);
}

async function simRequestCount() {
  const answer = await (await fetch(`${SIM}/_sim/requests`)).json();
  return (Array.isArray(answer) ? answer : answer.requests).length;
}

async function login(user, password) {
  await context.clearCookies();
  await page.goto(`${BASE}/wp-login.php`);
  await page.fill('#user_login', user);
  await page.fill('#user_pass', password);
  await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
  await page.waitForSelector('#wpadminbar', WAIT);
}

// Every Site Health result on the page: test id => {status, label, badge, text, actions}.
async function results() {
  return page.$$eval('.health-check-accordion.issues .health-check-accordion-panel', (panels) =>
    Object.fromEntries(panels.map((panel) => {
      const wrapper = panel.closest('.site-health-issues-wrapper');
      const heading = document.querySelector(`[aria-controls="${panel.id}"]`);
      const badge = heading ? heading.querySelector('.badge') : null;
      const actions = panel.querySelector('.actions');
      const description = panel.cloneNode(true);
      description.querySelectorAll('.actions').forEach((node) => node.remove());
      return [panel.id.replace('health-check-accordion-block-', ''), {
        status: wrapper ? wrapper.id.replace('health-check-issues-', '') : '',
        label: heading ? heading.querySelector('.title').textContent.trim() : '',
        badge: badge ? badge.textContent.trim() : '',
        // Paragraphs and list items joined by spaces (textContent would glue them together).
        text: ([...description.querySelectorAll('p, li')].map((node) => node.textContent).join(' ') || description.textContent)
          .replace(/\s+/g, ' ').trim(),
        links: actions ? [...actions.querySelectorAll('a')].map((a) => a.getAttribute('href')) : [],
      }];
    })));
}

// The REST endpoints, from inside the page with its cookies and a REST nonce: [status, body].
async function rest(route) {
  return page.evaluate(async (route) => {
    const nonce = await (await fetch('/wp-admin/admin-ajax.php?action=rest-nonce', { credentials: 'same-origin' })).text();
    const response = await fetch(`/?rest_route=${encodeURIComponent(`/closte-native/v1/site-health/${route}`)}`, {
      credentials: 'same-origin',
      headers: { 'X-WP-Nonce': nonce },
    });
    return [response.status, await response.text()];
  }, route);
}

const profiles = [];

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
    // admin-page.test.js left Closte and Ultimate Multisite in agreement: one alias nobody wants makes a drift.
    await simApi('adddomainalias', EXTRA);
  });

  let found = {};
  await test('Site Health runs the six Closte tests, the asynchronous ones through REST', async () => {
    const restCalls = [];
    page.on('request', (request) => {
      if (/closte-native(\/|%2F)v1/.test(request.url())) restCalls.push(request.url());
    });
    await page.goto(STATUS_PAGE);
    for (const id of TESTS) {
      await page.waitForSelector(`#health-check-accordion-block-${id}`, { state: 'attached', ...WAIT });
    }
    // Every test, WordPress's own asynchronous ones too, has answered.
    await page.waitForSelector('.site-health-progress-wrapper:not(.loading)', { state: 'attached', ...WAIT });
    found = await results();
    for (const id of TESTS) {
      assert.ok(found[id], `test ${id} shown`);
      assert.equal(found[id].badge, 'Closte', `${id} badge`);
      assert.deepEqual(found[id].links, [CLOSTE_PAGE], `${id} links to the Closte page`);
    }
    assert.equal(restCalls.filter((url) => /key-accepted/.test(url)).length, 1, `key-accepted requests: ${restCalls}`);
    assert.equal(restCalls.filter((url) => /domain-drift/.test(url)).length, 1, `domain-drift requests: ${restCalls}`);
  });

  await test('the Closte tests report the network as it is', async () => {
    const expect = (id, status, label) => {
      assert.equal(found[id].status, status, `${id} status (${found[id].label}: ${found[id].text})`);
      if (label instanceof RegExp) assert.match(found[id].label, label, `${id} label`);
      else if (label) assert.equal(found[id].label, label, `${id} label`);
    };
    const base = VERSION.replace(/\+.*$/, '');
    expect('closte_native_extension', 'good', `The closte PHP extension is loaded (version ${base})`);
    expect('closte_native_key', 'good', 'A Closte API key is configured');
    assert.equal(found.closte_native_key.text,
      `The key, ending in …${KEY.slice(-4)}, is from the CLOSTE_CLIENT_API_KEY constant in wp-config.php.`);
    expect('closte_native_key_accepted', 'good', 'Closte accepts the API key');
    expect('closte_native_ssl_failed', 'good', 'No domain is stuck without an SSL certificate');
    expect('closte_native_drift', 'recommended', 'Ultimate Multisite and Closte disagree: 0 missing on Closte, 1 extra on Closte');
    assert.match(found.closte_native_drift.text, new RegExp(`1 alias on Closte has no domain record in Ultimate Multisite\\. ${EXTRA.replace(/\./g, '\\.')}`));
    // The certificate watch reports what it last checked; before its first run, it says so.
    const cert = found.closte_native_certificates;
    assert.ok(['good', 'recommended', 'critical'].includes(cert.status), `certificates status ${cert.status}`);
    if (cert.label === 'No certificate check has run yet') expect('closte_native_certificates', 'recommended');
    // The page's own counter includes the Closte results.
    const recommended = Number(await page.textContent('#health-check-issues-recommended .issue-count'));
    const closteRecommended = TESTS.filter((id) => found[id].status === 'recommended').length;
    assert.ok(recommended >= closteRecommended, `recommended count ${recommended} >= ${closteRecommended}`);
  });

  await test('a fixed drift shows as good on the next visit', async () => {
    await simApi('deletedomainalias', EXTRA);
    await page.goto(STATUS_PAGE);
    await page.waitForSelector('#health-check-accordion-block-closte_native_drift', { state: 'attached', ...WAIT });
    const now = await results();
    assert.equal(now.closte_native_drift.status, 'good', now.closte_native_drift.text);
    assert.equal(now.closte_native_drift.label, "Ultimate Multisite's domain records and Closte's aliases agree");
    await simApi('adddomainalias', EXTRA); // back for the screenshot
  });

  await test('the screenshot shows the Closte results opened', async () => {
    await page.goto(STATUS_PAGE);
    await page.waitForSelector('#health-check-accordion-block-closte_native_drift', { state: 'attached', ...WAIT });
    await page.waitForSelector('.site-health-progress-wrapper:not(.loading)', { state: 'attached', ...WAIT });
    await page.click('[aria-controls="health-check-accordion-block-closte_native_drift"]');
    await page.click('.site-health-view-passed');
    await page.click('[aria-controls="health-check-accordion-block-closte_native_key_accepted"]');
    assert.ok(await page.isVisible('#health-check-accordion-block-closte_native_drift'), 'drift details open');
    assert.match(await page.textContent('#health-check-accordion-block-closte_native_drift'), new RegExp(EXTRA.replace(/\./g, '\\.')));
    const file = await tallShot('site-health');
    assert.ok(fs.statSync(file).size > 10000, 'screenshot written');
    if (DOC_SHOT) {
      fs.mkdirSync(path.dirname(DOC_SHOT), { recursive: true });
      fs.copyFileSync(file, DOC_SHOT);
    }
    await simApi('deletedomainalias', EXTRA);
  });

  await test('the Info tab has a Closte section: versions, settings, the key by its last 4 characters only', async () => {
    await page.goto(INFO_PAGE);
    await page.click('#health-check-section-closte-native');
    const section = page.locator('#health-check-accordion-block-closte-native');
    await section.waitFor({ state: 'visible', ...WAIT });
    // The rows by their labels (WordPress gives the cells no class).
    const rows = await section.locator('tr').evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelector('td').textContent.trim()])));
    const cell = (label) => {
      assert.ok(label in rows, `row "${label}" in ${JSON.stringify(rows)}`);
      return rows[label];
    };
    assert.equal(cell('Extension version'), VERSION);
    assert.match(cell('Plugin version'), /^\d+\.\d+\.\d+/);
    assert.equal(cell('Plugin state'), "Active: the native path handles Closte's domain events");
    assert.equal(cell('Closte integration enabled in Ultimate Multisite'), 'Yes');
    assert.equal(cell('API key source'), 'The CLOSTE_CLIENT_API_KEY constant (wp-config.php)');
    assert.equal(cell('API key, last 4 characters'), `…${KEY.slice(-4)}`);
    assert.equal(cell('API URL'), `${SIM}/api/client`);
    assert.equal(cell('Timeout (closte.timeout, seconds)'), '5');
    assert.equal(cell('Connect timeout (closte.connect_timeout, seconds)'), '2');
    assert.match(cell('Retries (closte.retries)'), /^\d+$/);
    assert.equal(cell('Route to the Closte API'), 'Direct (no proxy)');
    assert.match(cell('Ultimate Multisite version'), /^2\.\d+\.\d+/);
    const copied = await page.getAttribute('.copy-button', 'data-clipboard-text');
    assert.ok(copied.includes(`### closte-native ###\n\nextension_version: ${VERSION}\n`), 'the section in the copied text');
    assert.ok(!copied.includes(`…${KEY.slice(-4)}`), 'the private key hint is not in the copied text');
    await tallShot('site-health-info');
  });

  await test('a site administrator without view_site_health_checks is refused, and nothing reaches Closte', async () => {
    await login('siteadmin', 'siteadmin-test-password');
    const response = await page.goto(STATUS_PAGE);
    assert.ok(response.status() === 403 || !(await page.locator('#health-check-issues-good').count()), 'Site Health not shown');
    await page.goto(`${BASE}/wp-admin/`);
    const before = await simRequestCount();
    for (const route of ['key-accepted', 'domain-drift']) {
      const [status, body] = await rest(route);
      assert.equal(status, 403, `${route}: ${body}`);
      assert.equal(JSON.parse(body).code, 'rest_forbidden', route);
    }
    assert.equal(await simRequestCount(), before, 'requests to Closte');
  });

  await test('no PHP error, warning, notice or deprecation from the Site Health code', async () => {
    const file = path.join(env('CLOSTE_BROWSER_WORK'), 'wp/wp-content/debug.log');
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
    const ours = lines.filter((line) => /site-health\.php.*closte|class-closte-native-site-health|\/wp-plugin\/|\/plugins\/closte-native\//.test(line));
    assert.deepEqual(ours, [], 'debug.log lines from wp-plugin/');
  });

  await test('no 8-character piece of the key in any page or answer', async () => {
    // WordPress's pages and REST answers; its static scripts are left out (React's holds "_SECRET_").
    const answers = bodies.filter(([url]) => !/\.(js|css|png|svg|gif|woff2?)(\?|$)/.test(url));
    assert.ok(answers.length > 10, `answers collected: ${answers.length}`);
    assert.ok(answers.some(([url]) => /closte-native(\/|%2F)v1/.test(url)), 'the REST answers are among them');
    const pieces = [];
    for (let i = 0; i + 8 <= KEY.length; i++) pieces.push(KEY.slice(i, i + 8));
    for (const [url, text] of answers) {
      for (const piece of pieces) assert.ok(!text.includes(piece), `${url} contains a piece of the key`);
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
