// Take the README's screenshots from the built site: `npm run build && npm run screenshots`.
// Usage: node scripts/screenshots.mjs [name=path@theme@width ...]; with no arguments, the default set.
import { chromium } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { startPreview } from './lib/preview.mjs';

const shots = process.argv.slice(2).length
  ? process.argv.slice(2)
  : [
      'home-light=@light@1280',
      'chapter-dark=chapters/attention/@dark@1280',
      'chapter-phone=chapters/tokenization/@light@360',
    ];

const { origin, stop } = await startPreview();

const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const browser = await chromium.launch({
  executablePath,
  args: ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking'],
});
mkdirSync('docs/screenshots', { recursive: true });
try {
  for (const spec of shots) {
    const [name, rest] = spec.split('=');
    // name=path@theme@width[@selector]: with a selector, only that element (e.g. a widget) is shot
    const [path, theme = 'light', width = '1280', selector = ''] = rest.split('@');
    const context = await browser.newContext({
      viewport: { width: Number(width), height: Number(width) < 600 ? 780 : 900 },
      colorScheme: theme === 'dark' ? 'dark' : 'light',
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    await page.goto(origin + path, { waitUntil: 'networkidle' });
    if (selector) {
      const element = page.locator(selector).first();
      await element.scrollIntoViewIfNeeded();
      await page.waitForTimeout(1000); // widgets draw once visible
      await element.screenshot({ path: `docs/screenshots/${name}.png` });
    } else await page.screenshot({ path: `docs/screenshots/${name}.png` });
    console.log(`docs/screenshots/${name}.png ← /${path} (${theme}, ${width}px)`);
    await context.close();
  }
} finally {
  await browser.close();
  stop();
}
