// The release build itself: what the service worker precaches, the manifest,
// the icons, no inline script. No browser needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_DIR, filesUnder } from '../lib/harness.mjs';

async function distFiles() {
  return (await filesUnder(APP_DIR))
    .map((f) => '/' + path.relative(APP_DIR, f).split(path.sep).join('/'))
    .filter((f) => !f.split('/').some((part) => part.startsWith('.')))
    // Precompressed copies the relay serves in place of their file.
    .filter((f) => !/\.(br|gz)$/.test(f))
    .sort();
}

function listOf(sw, name) {
  const m = new RegExp(`const ${name} = (\\[[\\s\\S]*?\\]);`).exec(sw);
  assert.ok(m, `sw.js has a generated ${name} list`);
  // The list is JSON but for a trailing comma.
  return JSON.parse(m[1].replace(/,\s*\]$/, ']'));
}

test('the service worker precaches exactly the files of this build, under a versioned cache', async () => {
  const sw = await readFile(path.join(APP_DIR, 'sw.js'), 'utf8');
  assert.doesNotMatch(sw, /__LOTSE_/, 'every placeholder is filled');
  const precache = listOf(sw, 'PRECACHE');
  const onDemand = listOf(sw, 'ON_DEMAND');
  const files = (await distFiles()).filter((f) => f !== '/sw.js');
  // The XLSX writer's worker only when an export asks for it (kept then).
  assert.deepEqual(
    [...onDemand].sort(),
    files.filter((f) => f.startsWith('/lotse-xlsx-writer')),
  );
  assert.equal(onDemand.length, 3, `its loader, script and wasm: ${onDemand}`);
  assert.deepEqual([...precache].sort(), files.filter((f) => !onDemand.includes(f)));
  assert.match(sw, /const VERSION = "[0-9a-f]{16}";/);
  assert.ok(files.some((f) => f.endsWith('.wasm')), 'the wasm is precached');
  assert.ok(files.includes('/index.html'));
});

test('index.html has no inline script (the CSP forbids them) and links the manifest', async () => {
  const html = await readFile(path.join(APP_DIR, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.ok(scripts.length > 0, 'the loader script is referenced');
  for (const [, attrs, body] of scripts) {
    if (/\btype\s*=\s*["']?application\/(ld\+)?json/i.test(attrs)) continue;
    assert.match(attrs, /\bsrc\s*=/, `script without src: ${attrs}`);
    assert.equal(body.trim(), '', 'a script with src has no body');
  }
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler attributes');
  assert.match(html, /<link[^>]*rel=["']?manifest[^>]*href=["']?\/manifest\.webmanifest/i);
  for (const [, src] of html.matchAll(/\b(?:src|href)=["']?(\/[^"' >]+)/g)) {
    const file = path.join(APP_DIR, src.split(/[?#]/)[0]);
    await readFile(file).catch(() => assert.fail(`index.html references ${src}, which is not in the build`));
  }
});

test('the manifest names the app and its icons, and each icon is a PNG of its size', async () => {
  const manifest = JSON.parse(await readFile(path.join(APP_DIR, 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.name, 'Lotse');
  assert.equal(manifest.short_name, 'Lotse');
  assert.equal(manifest.start_url, '/');
  assert.equal(manifest.scope, '/');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.lang, 'de');
  assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
  assert.match(manifest.background_color, /^#[0-9a-f]{6}$/i);
  const purposes = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`).sort();
  assert.deepEqual(purposes, ['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of manifest.icons) {
    const png = await readFile(path.join(APP_DIR, icon.src));
    assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${icon.src} is a PNG`);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    assert.equal(`${width}x${height}`, icon.sizes, icon.src);
  }
});
