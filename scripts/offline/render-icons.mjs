// Renders public/icons/*.svg to the PNG sizes the web app manifest lists: node scripts/offline/render-icons.mjs public/icons
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const dir = process.argv[2];
for (const [name, sizes] of [
  ['icon-light', [192, 512]],
  ['icon-dark', [192, 512]],
  ['icon-maskable', [512]],
]) {
  for (const s of sizes) {
    const p = await b.newPage({ viewport: { width: s, height: s } });
    const svg = readFileSync(`${dir}/${name}.svg`, 'utf8');
    await p.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${s}" height="${s}" `)}</body></html>`,
    );
    await p.screenshot({ path: `${dir}/${name}-${s}.png`, omitBackground: true });
    await p.close();
  }
}
await b.close();
