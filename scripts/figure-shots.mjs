// Screenshot each figure ([data-figure]) of the built site in light and dark, at 1280 px and 360 px.
// usage: npm run build && node scripts/figure-shots.mjs [outDir] [chapter ...]   (default /tmp/figure-shots)
import { chromium } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { startPreview } from './lib/preview.mjs';

const [outDir = '/tmp/figure-shots', ...only] = process.argv.slice(2);
const chapters = only.length
  ? only
  : [
      'training-and-inference',
      'dropout-and-activations',
      'attention',
      'transformer-block',
      'normalization-and-regularization',
      'optimization-and-schedulers',
      'capstone',
    ];
const { origin, stop } = await startPreview();
const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
const browser = await chromium.launch({ executablePath });
mkdirSync(outDir, { recursive: true });
try {
  for (const width of [1280, 360]) {
    for (const theme of ['light', 'dark']) {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        colorScheme: theme,
        deviceScaleFactor: width < 600 ? 2 : 1,
      });
      const page = await context.newPage();
      for (const ch of chapters) {
        await page.goto(`${origin}chapters/${ch}/`);
        for (const fig of await page.locator('[data-figure]').all()) {
          const id = await fig.getAttribute('data-figure');
          await fig.scrollIntoViewIfNeeded();
          const file = `${outDir}/${id}-${theme}-${width}.png`;
          await fig.screenshot({ path: file });
          console.log(file);
        }
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  stop();
}
