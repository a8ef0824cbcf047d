// The before-and-after folder (lib/compare.mjs) a reviewer looks at: a
// picture with one pixel changed is listed as changed and drawn side by side
// with that pixel marked; the same picture encoded differently is the same;
// a new and a gone screenshot are named. Made-up PNGs: no browser needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { sideBySide } from '../lib/compare.mjs';

function picture(width, height, [r, g, b]) {
  const png = new PNG({ width, height });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([r, g, b, 255], i);
  return png;
}
const write = (file, png, options) => writeFile(file, PNG.sync.write(png, options));

test('screenshots before and after: changed, the same, new and gone', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-compare-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const [before, after, out] = ['before', 'after', 'out'].map((d) => path.join(dir, d));
  await mkdir(before);
  await mkdir(after);

  await write(path.join(before, 'today.png'), picture(10, 8, [255, 255, 255]));
  const today = picture(10, 8, [255, 255, 255]);
  today.data.set([0, 0, 0, 255], (3 * 10 + 4) * 4); // one pixel at x 4, y 3
  await write(path.join(after, 'today.png'), today);

  // The same pixels, written with another PNG filter: other bytes.
  await write(path.join(before, 'events.png'), picture(6, 6, [10, 120, 200]), { filterType: 0 });
  await write(path.join(after, 'events.png'), picture(6, 6, [10, 120, 200]), { filterType: 1 });
  const [eb, ea] = await Promise.all([before, after].map((d) => readFile(path.join(d, 'events.png'))));
  assert.notDeepEqual(eb, ea, 'the test needs two encodings of one picture');

  await write(path.join(before, 'old-page.png'), picture(4, 4, [0, 0, 0]));
  await write(path.join(after, 'new-page.png'), picture(4, 4, [0, 0, 0]));
  // Left in the output folder by an earlier comparison: must not survive.
  await mkdir(out);
  await writeFile(path.join(out, 'stale.png'), 'x');

  const r = await sideBySide({ before, after, out });
  assert.deepEqual(r.changed, [{ name: 'today', pixels: 1 }]);
  assert.deepEqual(r.same, ['events']);
  assert.deepEqual(r.added, ['new-page']);
  assert.deepEqual(r.removed, ['old-page']);

  const side = PNG.sync.read(await readFile(path.join(out, 'today.png')));
  assert.equal(side.width, 10 + 16 + 10 + 16 + 10, 'before | after | changed');
  assert.equal(side.height, 8);
  const at = (x, y) => [...side.data.subarray((y * side.width + x) * 4, (y * side.width + x) * 4 + 4)];
  assert.deepEqual(at(4, 3), [255, 255, 255, 255], 'before, unchanged');
  assert.deepEqual(at(26 + 4, 3), [0, 0, 0, 255], 'after, with its new pixel');
  assert.deepEqual(at(52 + 4, 3), [220, 0, 0, 255], 'the changed pixel, marked');
  assert.notDeepEqual(at(52 + 5, 3), [220, 0, 0, 255], 'its neighbour is not marked');

  const html = await readFile(path.join(out, 'index.html'), 'utf8');
  assert.match(html, /1 changed, 1 new, 1 gone, 1 the same/);
  assert.match(html, /src="today\.png"/);
  await assert.rejects(readFile(path.join(out, 'stale.png')), 'the output folder starts empty');
});
