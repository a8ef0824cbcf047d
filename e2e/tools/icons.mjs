// Renders the app icons (public/icons/*.png) from public/icons/icon.svg in
// headless Chromium: `cargo xtask icons`. The PNGs are committed; run this
// again only when the SVG changes.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { launchBrowser } from '../lib/harness.mjs';

const icons = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/icons');
const svg = await readFile(path.join(icons, 'icon.svg'), 'utf8');

// A full-bleed square with the mark scaled into the middle: the maskable
// icon (the mark inside the 80% safe circle) and Apple's touch icon (iOS
// rounds the corners itself and shows no transparency).
function fullBleed(scale) {
  return svg
    .replace(/<rect [^>]*\/>/, '<rect width="512" height="512" fill="#0f5257"/>')
    .replace(/(<path[\s\S]*<\/svg>)/, (rest) => {
      const [paths] = rest.split('</svg>');
      return `<g transform="translate(256 256) scale(${scale}) translate(-256 -256)">${paths}</g></svg>`;
    });
}

const targets = [
  { file: 'icon-192.png', size: 192, svg, transparent: true },
  { file: 'icon-512.png', size: 512, svg, transparent: true },
  { file: 'icon-maskable-512.png', size: 512, svg: fullBleed(0.72), transparent: false },
  { file: 'apple-touch-icon.png', size: 180, svg: fullBleed(0.86), transparent: false },
];

const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 512, height: 512 }, deviceScaleFactor: 1 });
  for (const t of targets) {
    const sized = t.svg.replace('<svg ', `<svg width="${t.size}" height="${t.size}" `);
    await page.setViewportSize({ width: t.size, height: t.size });
    await page.setContent(
      `<!DOCTYPE html><html><body style="margin:0;background:transparent">${sized}</body></html>`,
    );
    const png = await page.screenshot({
      omitBackground: t.transparent,
      clip: { x: 0, y: 0, width: t.size, height: t.size },
    });
    await writeFile(path.join(icons, t.file), png);
    console.log(`wrote ${path.join(icons, t.file)} (${t.size}x${t.size})`);
  }
} finally {
  await browser.close();
}
