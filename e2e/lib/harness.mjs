// The e2e harness: a real relay (the release binary) on a free loopback port
// with a temporary data directory, and Debian's headless Chromium driven by
// playwright-core, one browser profile per simulated device.
//
// `cargo xtask test` sets LOTSE_RELAY_BIN, LOTSE_APP_DIR, LOTSE_SCREENSHOTS and
// LOTSE_CHROMIUM; the defaults below fit a run from e2e/ after `cargo xtask build`.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../..');
export const RELAY_BIN = process.env.LOTSE_RELAY_BIN || path.join(REPO, 'target/release/lotse-relay');
export const APP_DIR = process.env.LOTSE_APP_DIR || path.join(REPO, 'dist');
export const SCREENSHOTS = process.env.LOTSE_SCREENSHOTS || path.join(REPO, 'e2e/screenshots');
export const CHROMIUM = process.env.LOTSE_CHROMIUM || '/usr/bin/chromium';

/// A phone: the size every screenshot is taken at.
export const PHONE = { width: 412, height: 915 };

/// Root needs --no-sandbox; the rest keeps Chromium off the (closed) network.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/// Generous: a release wasm compiles slowly on two shared cores.
export const TIMEOUT = 30_000;

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/// One device: its own Chromium profile in a fresh user-data-dir (a real
/// profile, not an incognito context, so the installability check and
/// storage persistence behave as on a phone), at phone size.
/// `restart()` closes the browser and opens it again on the same profile
/// (what stays on its disk between runs is then there to read, under
/// `userDataDir`).
export async function launchDevice(name, options = {}) {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), `lotse-e2e-${name}-`));
  const device = await openProfile(name, userDataDir, options);
  device.close = async () => {
    await device.context.close().catch(() => {});
    await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
  };
  device.restart = async () => {
    await device.context.close().catch(() => {});
    const again = await openProfile(name, userDataDir, options);
    Object.assign(device, { context: again.context, page: again.page, problems: again.problems });
  };
  return device;
}

async function openProfile(name, userDataDir, options) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: PHONE,
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    ...options,
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = watchProblems(page, name);
  return { name, userDataDir, context, page, problems };
}

/// Collects what should never happen in a page: uncaught errors, console
/// errors (CSP violations among them).
export function watchProblems(page, name) {
  const problems = [];
  const log = [];
  RECENT.set(page, log);
  const keep = (line) => {
    log.push(line);
    if (log.length > 60) log.shift();
  };
  page.on('pageerror', (err) => {
    problems.push(`${name}: page error: ${err.message}`);
    keep(`page error: ${err.message}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`${name}: console error: ${msg.text()}`);
    keep(`${msg.type()}: ${msg.text()}`);
  });
  // The engine runs in a worker: what it logs says why a request failed.
  page.on('worker', (worker) => worker.on('console', (msg) => keep(`worker ${msg.type()}: ${msg.text()}`)));
  return problems;
}

const RECENT = new WeakMap();

/// The page's (and its workers') last console lines, for a failure's
/// message: a timeout alone does not say what the app was doing.
export function recentLog(page) {
  return (RECENT.get(page) ?? []).join('\n');
}

/// Console errors that are expected while the test has cut the network.
export function unexpectedProblems(problems) {
  return problems.filter(
    (p) =>
      !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|WebSocket connection to .* failed|Failed to load resource/.test(
        p,
      ),
  );
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/// Starts the relay from the release binary and waits for its
/// `lotse-relay listening on http://ADDR` line.
export async function startRelay({ port, dataDir, appDir = APP_DIR } = {}) {
  if (!existsSync(RELAY_BIN)) {
    throw new Error(`no relay binary at ${RELAY_BIN}: run \`cargo build --release -p lotse-relay\``);
  }
  if (!existsSync(path.join(appDir, 'index.html'))) {
    throw new Error(`no app build in ${appDir}: run \`cargo xtask build\``);
  }
  const ownDataDir = !dataDir;
  dataDir ??= await mkdtemp(path.join(os.tmpdir(), 'lotse-e2e-relay-'));
  port ??= await freePort();
  // `extraArgs`: flags for the next start (a test sets them, then restarts).
  const relay = { port, dataDir, url: null, log: [], child: null, extraArgs: [] };

  relay.start = async () => {
    const child = spawn(
      RELAY_BIN,
      ['--listen', `127.0.0.1:${relay.port}`, '--data-dir', relay.dataDir, '--app-dir', appDir, ...relay.extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'info' } },
    );
    relay.child = child;
    relay.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    relay.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`relay did not say it listens within 20 s:\n${relay.log.join('\n')}`)),
        20_000,
      );
      const onLine = (line) => {
        relay.log.push(line);
        const m = /lotse-relay listening on (http:\/\/\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1].replace(/\/$/, ''));
        }
      };
      for (const stream of [child.stdout, child.stderr]) {
        let buffered = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk) => {
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop();
          lines.forEach(onLine);
        });
      }
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`relay exited (${code ?? signal}) before listening:\n${relay.log.join('\n')}`));
      });
    });
    return relay.url;
  };

  /// Stops the process (SIGTERM, SIGKILL after 5 s); the data dir stays.
  relay.stop = async () => {
    const child = relay.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await relay.exited;
    clearTimeout(killer);
  };

  /// Stops it and removes the data dir if the harness made it.
  relay.dispose = async () => {
    await relay.stop();
    if (ownDataDir) await rm(relay.dataDir, { recursive: true, force: true });
  };

  await relay.start();
  return relay;
}

/// Every file under `dir` (the relay's database, its -wal and -shm included).
export async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/// The files under `dir` whose bytes contain `text` as UTF-8.
export async function filesContaining(dir, text) {
  const needle = Buffer.from(text, 'utf8');
  const hits = [];
  for (const file of await filesUnder(dir)) {
    const bytes = await readFile(file);
    if (bytes.indexOf(needle) !== -1) hits.push(file);
  }
  return hits;
}

export async function totalSize(dir) {
  let total = 0;
  for (const file of await filesUnder(dir)) total += (await stat(file)).size;
  return total;
}

export async function screenshot(page, name, { fullPage = false } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // Let Leptos render and fonts settle.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: file, fullPage });
  return file;
}

/// Polls `probe` until it returns a truthy value; fails after `timeout` ms
/// with the last value seen.
export async function eventually(probe, { timeout = TIMEOUT, interval = 200, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${message} not reached within ${timeout} ms; last: ${last instanceof Error ? last.stack : JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/// Runs `sql` on the relay's SQLite file read-only, as its operator could
/// (the `sqlite3` shell, which `cargo xtask setup` installs); its output.
export function relaySql(relay, sql) {
  const db = path.join(relay.dataDir, 'lotse.sqlite3');
  return execFileSync('sqlite3', ['-readonly', db, sql], { encoding: 'utf8' }).trim();
}
