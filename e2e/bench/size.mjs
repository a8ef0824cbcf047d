// Transfer size of a build: raw, gzip (level 9) and brotli (quality 11) of
// what a first visit loads before its first screen (the page: wasm + js +
// css + html + its language's messages — German's, the default; the others
// are 11–15 KB gzip as well —, not the engine worker's files, which load after it, nor the
// XLSX writer's, which an export loads), of the engine worker, of the XLSX
// writer, of the page's modules split off to load on first use (the forms,
// the desk and what they share: `split-<hash>/` but its main module), and of
// everything the service worker precaches (its PRECACHE list; the XLSX
// writer is fetched on demand). Prints
// `BENCH<TAB>figure<TAB>value<TAB>target` lines.
//
//   node bench/size.mjs <dist dir>

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { APP_DIR, filesUnder } from '../lib/harness.mjs';

const dist = process.argv[2] || APP_DIR;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const groups = { wasm: [0, 0, 0], js: [0, 0, 0], css: [0, 0, 0], html: [0, 0, 0], ftl: [0, 0, 0] };
const all = [0, 0, 0];
const engine = [0, 0, 0];
const xlsx = [0, 0, 0];
const lazy = [0, 0, 0];
const precached = [0, 0, 0];
const sw = await readFile(path.join(dist, 'sw.js'), 'utf8');
const onDemand = new Set(JSON.parse(/const ON_DEMAND = (\[[\s\S]*?\]);/.exec(sw)?.[1].replace(/,\s*\]$/, ']') ?? '[]'));
const rows = [];
for (const file of (await filesUnder(dist)).sort()) {
  const rel = path.relative(dist, file);
  if (rel.split(path.sep).some((p) => p.startsWith('.'))) continue;
  // The build's precompressed copies: measured below through their file.
  if (/\.(br|gz)$/.test(rel)) continue;
  const bytes = await readFile(file);
  const gz = zlib.gzipSync(bytes, { level: 9 }).length;
  const br = zlib.brotliCompressSync(bytes, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;
  rows.push([rel, bytes.length, gz, br]);
  const sizes = [bytes.length, gz, br];
  sizes.forEach((s, i) => (all[i] += s));
  const url = '/' + rel.split(path.sep).join('/');
  if (rel !== 'sw.js' && !onDemand.has(url)) sizes.forEach((s, i) => (precached[i] += s));
  const ext = path.extname(file).slice(1);
  if (/^lotse-engine/.test(rel)) sizes.forEach((s, i) => (engine[i] += s));
  else if (/^lotse-xlsx-writer/.test(rel)) sizes.forEach((s, i) => (xlsx[i] += s));
  else if (/^split-[0-9a-f]+\/(split_|chunk_)/.test(rel.split(path.sep).join('/'))) sizes.forEach((s, i) => (lazy[i] += s));
  else if (ext === 'ftl' && rel !== path.join('i18n', 'de.ftl')) continue;
  else if (groups[ext]) sizes.forEach((s, i) => (groups[ext][i] += s));
}

console.log(`${'file'.padEnd(48)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
for (const [rel, raw, gz, br] of rows) {
  console.log(`${rel.padEnd(48)} ${kb(raw).padStart(10)} ${kb(gz).padStart(10)} ${kb(br).padStart(10)}`);
}
const load = [0, 1, 2].map((i) => Object.values(groups).reduce((sum, g) => sum + g[i], 0));
for (const [ext, [raw, gz, br]] of Object.entries(groups)) {
  console.log(`BENCH\tsize: ${ext} raw / gzip / brotli\t${kb(raw)} / ${kb(gz)} / ${kb(br)}\t-`);
}
console.log(`BENCH\tsize: the page before its first screen (wasm+js+css+html+ftl) raw\t${kb(load[0])}\t-`);
console.log(`BENCH\tsize: the page before its first screen (wasm+js+css+html+ftl) gzip\t${kb(load[1])}\t<= 250 KB\t1.21 MB`);
console.log(`BENCH\tsize: the page before its first screen (wasm+js+css+html+ftl) brotli\t${kb(load[2])}\t-`);
console.log(`BENCH\tsize: the engine worker (loaded after the first screen) raw / gzip / brotli\t${kb(engine[0])} / ${kb(engine[1])} / ${kb(engine[2])}\t-`);
console.log(`BENCH\tsize: the page's modules split off the first screen (lists and forms fetched once Today is drawn, the desk on first use) raw / gzip / brotli\t${kb(lazy[0])} / ${kb(lazy[1])} / ${kb(lazy[2])}\t-`);
console.log(`BENCH\tsize: the XLSX writer (fetched on a coordinator's first export) raw / gzip / brotli\t${kb(xlsx[0])} / ${kb(xlsx[1])} / ${kb(xlsx[2])}\t-`);
console.log(`BENCH\tsize: all precached files (raw / gzip / brotli)\t${kb(precached[0])} / ${kb(precached[1])} / ${kb(precached[2])}\t<= 800 KB gzip`);
console.log(`BENCH\tsize: every file of the build (raw / gzip / brotli)\t${kb(all[0])} / ${kb(all[1])} / ${kb(all[2])}\t-`);
