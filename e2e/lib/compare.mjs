// Screenshots before and after a change, side by side, for a person to look
// at: for every PNG in `after` whose pixels differ from the one of the same
// name in `before`, one image: before | after | the pixels that changed
// (red on a faded copy of after). Plus index.html listing every file as
// changed, new, gone or the same, so a review starts with what changed.
//
// Pixels, not bytes, decide "the same": two encodings of one picture are not
// a change.

import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

/// The gap between the panels (a neutral grey, so a white page's edge shows).
const GAP = 16;
const GAP_RGBA = [128, 128, 128, 255];

async function pngs(dir) {
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
}

async function load(file) {
  return PNG.sync.read(await readFile(file));
}

function samePixels(a, b) {
  return a.width === b.width && a.height === b.height && a.data.equals(b.data);
}

/// before | after | changed pixels, top-aligned on grey.
function composite(a, b) {
  const height = Math.max(a.height, b.height);
  const diffWidth = Math.max(a.width, b.width);
  const width = a.width + GAP + b.width + GAP + diffWidth;
  const out = new PNG({ width, height });
  for (let i = 0; i < out.data.length; i += 4) out.data.set(GAP_RGBA, i);
  const blit = (img, x0) => {
    for (let y = 0; y < img.height; y++) {
      img.data.copy(out.data, (y * width + x0) * 4, y * img.width * 4, (y + 1) * img.width * 4);
    }
  };
  blit(a, 0);
  blit(b, a.width + GAP);
  const x0 = a.width + GAP + b.width + GAP;
  let changed = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < diffWidth; x++) {
      const inA = x < a.width && y < a.height;
      const inB = x < b.width && y < b.height;
      const ia = (y * a.width + x) * 4;
      const ib = (y * b.width + x) * 4;
      const o = (y * width + x0 + x) * 4;
      const differs = inA !== inB || (inA && a.data.compare(b.data, ib, ib + 4, ia, ia + 4) !== 0);
      if (differs) {
        changed++;
        out.data.set([220, 0, 0, 255], o);
      } else if (inB) {
        // A faded copy, so the red reads against where it is on the page.
        for (let c = 0; c < 3; c++) out.data[o + c] = 255 - ((255 - b.data[ib + c]) >> 2);
        out.data[o + 3] = 255;
      }
    }
  }
  return { png: PNG.sync.write(out), changed, width, height };
}

const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/// Compares the screenshots in `before` with those in `after` into `out`
/// (emptied first). Returns { changed: [{ name, pixels }], added, removed,
/// same } (names without `.png`).
export async function sideBySide({ before, after, out }) {
  const [was, now] = [await pngs(before), await pngs(after)];
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const result = { changed: [], added: [], removed: [], same: [] };
  for (const file of now) {
    const name = file.slice(0, -4);
    if (!was.includes(file)) {
      result.added.push(name);
      continue;
    }
    const [a, b] = [await load(path.join(before, file)), await load(path.join(after, file))];
    if (samePixels(a, b)) {
      result.same.push(name);
      continue;
    }
    const { png, changed } = composite(a, b);
    await writeFile(path.join(out, file), png);
    result.changed.push({ name, pixels: changed });
  }
  result.removed = was.filter((f) => !now.includes(f)).map((f) => f.slice(0, -4));
  await writeFile(path.join(out, 'index.html'), index(result, before, after));
  return result;
}

function index(r, before, after) {
  const rel = (dir, name) => escape(`file://${path.resolve(dir, `${name}.png`)}`);
  const rows = [
    ...r.changed.map(
      ({ name, pixels }) =>
        `<h2>${escape(name)} <small>changed: ${pixels} pixels (before | after | changed)</small></h2><img src="${escape(name)}.png" alt="">`,
    ),
    ...r.added.map((n) => `<h2>${escape(n)} <small>new</small></h2><img src="${rel(after, n)}" alt="">`),
  ];
  const list = (title, names) => (names.length ? `<h2>${title}</h2><p>${names.map(escape).join(', ')}</p>` : '');
  return `<!doctype html><meta charset="utf-8"><title>Screenshots before and after</title>
<style>body{font:16px sans-serif;margin:16px}img{max-width:100%;border:1px solid #888}small{font-weight:normal;color:#555}</style>
<h1>Screenshots before and after</h1>
<p>${r.changed.length} changed, ${r.added.length} new, ${r.removed.length} gone, ${r.same.length} the same.<br>
before: ${escape(path.resolve(before))}<br>after: ${escape(path.resolve(after))}</p>
${rows.join('\n')}
${list('Gone', r.removed)}
${list('The same', r.same)}
`;
}

/// One line for a person: what changed and where to look.
export function summary(r, out) {
  return (
    `screenshots before and after, side by side: ${path.join(out, 'index.html')}\n` +
    `  ${r.changed.length} changed, ${r.added.length} new, ${r.removed.length} gone, ${r.same.length} the same` +
    (r.changed.length ? `\n  changed: ${r.changed.map((c) => c.name).join(', ')}` : '')
  );
}
