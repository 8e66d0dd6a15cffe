// The browser half of ConsoleE2E: an operator's day in the web console, in Debian's headless Chromium
// driven by Playwright's library. Every element is found by its role and accessible name, as a
// screen-reader user would; nothing reloads the page, so every change seen came from the API's watch.
//
// Settings (environment, set by ConsoleE2E): CONSOLE_URL, ADMIN_TOKEN, VIEWER_TOKEN, PROJECT, CLUSTER,
// DEVICE, DEVICE_ARCH, APP_JSON (the app version to register), DEVICE_SHELL_URL and DEVICE_SHELL_SECRET
// (runs a command as root on the device), SCREENSHOTS_DIR, EDGEPLANE_CHROMIUM.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`the browser flow needs ${name} in its environment`);
  return value;
};
const CONSOLE_URL = env('CONSOLE_URL');
const PROJECT = env('PROJECT');
const CLUSTER = env('CLUSTER');
const DEVICE = env('DEVICE');
const APP = JSON.parse(env('APP_JSON'));
const SCREENSHOTS = env('SCREENSHOTS_DIR');
const ORIGIN = new URL(CONSOLE_URL).origin;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const started = Date.now();
const log = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);

/** Fails with `message` unless `condition` holds. */
function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function screenshot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  log(`screenshot ${name}.png`);
}

/** Polls `condition` every 100 ms until it holds; fails naming `what` (and `detail()`) after `timeout`. */
async function until(condition, what, timeout, detail = () => '') {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    check(Date.now() < deadline, `not within ${timeout / SECOND} s: ${what} ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Same-document navigation to a console route: the page never reloads. */
async function go(page, route) {
  await page.evaluate((hash) => { window.location.hash = hash; }, `#${route}`);
}

/** The h1 of the current page, once it shows the phase or state badge `state`, if given. */
async function heading(page, name, state, timeout = 30 * SECOND) {
  const h1 = page.getByRole('heading', { level: 1, name });
  await (state ? h1.filter({ has: badge(page, state) }) : h1).waitFor({ timeout });
  return h1;
}

/** An element whose whole text is `state` (a phase or state badge): "Ready" does not match "NotReady". */
const badge = (page, state) => page.getByText(state, { exact: true });

/** Fills a labelled control, whatever kind of control the page chose for it. */
async function set(scope, label, value) {
  const control = scope.getByLabel(label, { exact: true });
  const tag = await control.evaluate((e) => e.tagName.toLowerCase());
  if (tag === 'select') {
    await control.selectOption(value);
  } else {
    await control.fill(value);
  }
}


async function signIn(page, token) {
  await page.goto(CONSOLE_URL);
  await page.getByLabel('API token (admin or project token)').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** POSTs `command` to the device's shell, as the person at the device pastes it into a root terminal. */
async function runOnDevice(command) {
  const response = await fetch(env('DEVICE_SHELL_URL'), {
    method: 'POST', headers: { Authorization: `Bearer ${env('DEVICE_SHELL_SECRET')}` }, body: command,
  });
  const body = await response.text();
  check(response.ok, `the device shell answered ${response.status}: ${body}`);
  return JSON.parse(body);
}

async function clusters(page) {
  await page.getByRole('link', { name: PROJECT, exact: true }).click();
  await heading(page, `Clusters of ${PROJECT}`);
  const form = page.getByRole('form', { name: 'Create a cluster' });
  await set(form, 'Name', CLUSTER);
  await form.getByRole('button', { name: 'Create cluster' }).click();
  await form.getByRole('status').filter({ hasText: `Cluster ${CLUSTER} is being created` }).waitFor();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: CLUSTER, exact: true }) });
  await row.waitFor();
  log(`cluster ${CLUSTER} listed: ${(await row.innerText()).replace(/\s+/g, ' ')}`);
  await row.filter({ has: badge(page, 'Running') }).waitFor({ timeout: 4 * MINUTE });
  log(`cluster ${CLUSTER} Running in its row, without reloading`);
  await screenshot(page, 'clusters');
  await row.getByRole('link', { name: CLUSTER, exact: true }).click();
  await heading(page, new RegExp(`^Cluster ${CLUSTER}`), 'Running');
  await page.getByRole('heading', { name: 'Components' }).waitFor();
  await screenshot(page, 'cluster');
}

async function device(page) {
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Devices' }).click();
  await heading(page, `Devices of ${CLUSTER}`);
  const form = page.getByRole('form', { name: 'Register a device' });
  await set(form, 'Name', DEVICE);
  await set(form, 'Architecture', env('DEVICE_ARCH'));
  await set(form, 'Operating system', 'debian-12');
  await set(form, 'Labels', 'site=test-bed');
  await form.getByRole('button', { name: 'Register device' }).click();
  await form.getByRole('status').filter({ hasText: `Device ${DEVICE} is registered` }).waitFor();
  // The list shows it live too; open it from there.
  await page.getByRole('table').getByRole('link', { name: DEVICE, exact: true }).click();
  await heading(page, new RegExp(`^Device ${DEVICE}`));

  await page.getByRole('button', { name: 'Copy provisioning command' }).click();
  const shown = page.getByLabel('provisioning command');
  await shown.waitFor();
  const command = (await shown.innerText()).trim();
  await page.getByRole('status').filter({ hasText: /^Copied$/ }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied.trim() === command, `the clipboard holds ${JSON.stringify(copied)}, the page shows ${JSON.stringify(command)}`);
  check(!command.includes(env('ADMIN_TOKEN')), 'the provisioning command carries the operator\'s token');
  log(`copied the provisioning command (${command.length} characters); running it on ${DEVICE}`);
  const ran = await runOnDevice(copied);
  check(ran.exitCode === 0, `the provisioning command exited with ${ran.exitCode}:\n${ran.stdout}\n${ran.stderr}`);
  log(`the provisioning command ended on ${DEVICE}; waiting for Ready on the device page`);
  await heading(page, new RegExp(`^Device ${DEVICE}`), 'Ready', 4 * MINUTE);
  log(`device ${DEVICE} Ready on its page, without reloading`);
  await screenshot(page, 'device');
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Devices' }).click();
  await heading(page, `Devices of ${CLUSTER}`);
  await page.getByRole('row').filter({ has: page.getByRole('link', { name: DEVICE, exact: true }) })
    .filter({ has: badge(page, 'Ready') }).waitFor();
  await screenshot(page, 'devices');
}

async function app(page) {
  await page.getByRole('navigation', { name: 'main' }).getByRole('link', { name: 'Apps' }).click();
  await heading(page, 'Apps');
  const form = page.getByRole('form', { name: 'Register an app version' });
  await set(form, 'App (YAML)', JSON.stringify(APP, null, 2));
  await form.getByRole('button', { name: 'Register app' }).click();
  const description = page.getByText(APP.description, { exact: true });
  await description.waitFor();
  const scripts = await page.evaluate(() => [...document.scripts].filter((s) => s.textContent.includes('pwned')).length);
  check(scripts === 0, 'the app description became a script element');
  check(await page.evaluate(() => window.pwned === undefined), 'the app description\'s script ran');
  log('the app description with a <script> tag shows as text');
  await screenshot(page, 'apps');
}

async function workload(page) {
  const name = APP.name;
  await go(page, `/projects/${PROJECT}/clusters/${CLUSTER}/workloads`);
  await heading(page, `Workloads of ${CLUSTER}`);
  const form = page.getByRole('form', { name: 'Deploy a workload' });
  await set(form, 'Name', name);
  await form.getByLabel('App version', { exact: true }).selectOption(`${APP.name}@${APP.version}`);
  // The form starts the configuration from the app's default configuration.
  const configuration = form.getByLabel('Configuration (YAML)', { exact: true });
  await until(async () => (await configuration.inputValue()).includes('greeting'), 'the configuration prefilled from the app', 10 * SECOND);
  await form.getByLabel('Staged', { exact: true }).check();
  await form.getByLabel('Apply when ready', { exact: true }).uncheck();
  await form.getByLabel('Chosen devices', { exact: true }).check();
  await form.getByLabel('Devices', { exact: true }).selectOption([DEVICE]);
  await form.getByRole('button', { name: 'Deploy' }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  await row.waitFor();
  await screenshot(page, 'workloads');
  await row.getByRole('link', { name, exact: true }).click();
  await heading(page, new RegExp(`^Workload ${name}`));

  // The staged version's progress per device and image, as the watch reports it.
  const image = APP.containers[0].image;
  const progress = page.getByRole('region', { name: 'Staged progress', exact: true });
  const imageRow = progress.getByRole('row').filter({ hasText: DEVICE }).filter({ hasText: image });
  await imageRow.waitFor({ timeout: MINUTE });
  const seen = [];
  await until(async () => {
    const state = (await imageRow.getByRole('cell').nth(2).innerText().catch(() => '')).trim();
    if (state && seen.at(-1) !== state) seen.push(state);
    check(state !== 'failed', `the pre-pull of ${image} on ${DEVICE} failed: ${await imageRow.innerText()}`);
    return state === 'present';
  }, `${image} pre-pulled on ${DEVICE}`, 3 * MINUTE, () => `states seen: ${seen.join(', ')}`);
  // Every image on every device: the staged version is ready to apply.
  await progress.filter({ has: badge(page, 'ready') }).waitFor();
  log(`staged progress per image seen: ${seen.join(' -> ')}`);
  await screenshot(page, 'workload');

  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await heading(page, new RegExp(`^Workload ${name}`), 'running', 3 * MINUTE);
  log(`workload ${name} running`);
  await page.getByRole('region', { name: 'Devices', exact: true }).getByRole('row').filter({ hasText: DEVICE }).filter({ has: badge(page, 'running') }).waitFor();
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await heading(page, new RegExp(`^Workload ${name}`), 'stopped', 3 * MINUTE);
  log(`workload ${name} stopped`);
}

async function undeploy(page) {
  const name = APP.name;
  await page.getByRole('button', { name: 'Undeploy', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Undeploy ${name}`, exact: true });
  await dialog.getByLabel(`Type ${name} to confirm`, { exact: true }).fill(name);
  await dialog.getByRole('button', { name: 'Undeploy', exact: true }).click();
  await go(page, `/projects/${PROJECT}/clusters/${CLUSTER}/workloads`);
  await heading(page, `Workloads of ${CLUSTER}`);
  await page.getByRole('link', { name, exact: true }).waitFor({ state: 'detached', timeout: 3 * MINUTE });
  log(`workload ${name} undeployed and gone from the list`);
}

/** A viewer's pages have none of the controls that change something; the API refuses it anyway. */
async function viewer(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, env('VIEWER_TOKEN'));
  const base = `/projects/${PROJECT}/clusters/${CLUSTER}`;
  const pages = [
    [`/projects/${PROJECT}`, `Clusters of ${PROJECT}`, ['Create cluster']],
    [base, new RegExp(`^Cluster ${CLUSTER}`), ['Delete cluster', 'Upgrade']],
    [`${base}/devices`, `Devices of ${CLUSTER}`, ['Register device']],
    [`${base}/devices/${DEVICE}`, new RegExp(`^Device ${DEVICE}`), ['Copy provisioning command', 'Provision over SSH', 'Deprovision device']],
    [`/projects/${PROJECT}/apps`, 'Apps', ['Register app']],
    [`${base}/workloads`, `Workloads of ${CLUSTER}`, ['Deploy']],
    [`${base}/workloads/${APP.name}`, new RegExp(`^Workload ${APP.name}`), ['Apply', 'Start', 'Stop', 'Undeploy', 'Undeploy staged version']],
  ];
  for (const [route, title, mutating] of pages) {
    await go(page, route);
    await heading(page, title);
    // Loaded: nothing in the page says it is still loading (the watch streams never go idle).
    await until(async () => (await page.locator('main [aria-busy="true"]').count()) === 0, `${route} loaded`, 30 * SECOND);
    for (const label of mutating) {
      const count = await page.getByRole('button', { name: label, exact: true }).count();
      check(count === 0, `the viewer sees the button "${label}" on ${route}`);
    }
    const forms = await page.locator('main form').count();
    check(forms === 0, `the viewer sees ${forms} form(s) on ${route}`);
  }
  const status = await page.evaluate(async ([token, project]) => (await fetch(`/api/v1/projects/${project}/clusters`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'not-allowed', datacenter: 'lab' }),
  })).status, [env('VIEWER_TOKEN'), PROJECT]);
  check(status === 403, `a viewer's POST of a cluster answered ${status}, not 403`);
  log('the viewer sees no mutating control on any page, and its POST gets 403');
  await context.close();
}

async function main() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Root cannot run Chromium's sandbox (it refuses to start as root with it); the flow runs as root on test machines.
  const browser = await chromium.launch({ executablePath: env('EDGEPLANE_CHROMIUM'), headless: true, args: ['--no-sandbox'] });
  log(`Chromium ${browser.version()}`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  const page = await context.newPage();
  let loads = 0;
  page.on('load', () => { loads += 1; });
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  let step = 'sign in';
  try {
    await signIn(page, env('ADMIN_TOKEN'));
    for (const [name, run] of [['clusters', clusters], ['device', device], ['app', app], ['workload', workload]]) {
      step = name;
      await run(page);
    }
    step = 'viewer';
    await viewer(browser);
    step = 'undeploy';
    await undeploy(page);
    check(loads === 1, `the page loaded ${loads} times: something reloaded it`);
    log('done: every change was seen without reloading');
  } catch (error) {
    await page.screenshot({ path: join(SCREENSHOTS, `failure-${step.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {});
    console.log(`FAILED at step "${step}" on ${page.url()}: ${error.stack ?? error}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
