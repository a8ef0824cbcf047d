// Screenshots before and after a change, side by side (see lib/compare.mjs).
//
//   node e2e/tools/side-by-side.mjs --before DIR --after DIR --out DIR
//
// `cargo xtask screenshots` and `cargo xtask test` run it on the last run's
// screenshots and this run's.

import { sideBySide, summary } from '../lib/compare.mjs';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  if (i < 0 || !args[i + 1]) {
    console.error('usage: node tools/side-by-side.mjs --before DIR --after DIR --out DIR');
    process.exit(2);
  }
  return args[i + 1];
};
const [before, after, out] = [opt('--before'), opt('--after'), opt('--out')];
console.log(summary(await sideBySide({ before, after, out }), out));
