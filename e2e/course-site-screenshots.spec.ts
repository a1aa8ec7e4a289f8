import type { Page } from '@playwright/test';
import { test, expect, setTheme } from './fixtures';

// The README's screenshots of share links, copy buttons and print (not a check; skipped unless asked):
//   npm run build && SCREENSHOTS=1 npx playwright test e2e/course-site-screenshots.spec.ts --workers=1
test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to write docs/screenshots/');
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** The softmax widget with edited settings, just after its link was copied. */
async function sharedWidget(page: Page, theme: 'light' | 'dark') {
  await page.goto('chapters/start-here/');
  await setTheme(page, theme);
  const w = page.locator('softmax-mini');
  await w.getByLabel('Logits (comma-separated)').fill('3, 1, -2, 0.5');
  await w.getByLabel('Temperature').fill('0.5');
  await w.getByRole('button', { name: 'Copy link to this state' }).click();
  await expect(w.getByRole('status')).toHaveText('Link copied');
  return w;
}

for (const [name, theme, width] of [
  ['share-link-light', 'light', 1280],
  ['share-link-dark', 'dark', 1280],
  ['share-link-360', 'light', 360],
] as const) {
  test(name, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    const w = await sharedWidget(page, theme);
    if (width > 600) await w.screenshot({ path: `docs/screenshots/${name}.png` });
    else {
      // On a phone the sticky header would cover an element shot: show the screen as a learner sees it.
      await w.evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await page.screenshot({ path: `docs/screenshots/${name}.png` });
    }
  });
}

test('share-notice', async ({ page }) => {
  await page.goto('chapters/start-here/#w.softmax-mini=0.eyJ0ZW1wZXJhdHVyZSI6IjIifQ');
  const w = page.locator('softmax-mini');
  await expect(w.locator('.share-notice')).toBeVisible();
  await w.screenshot({ path: 'docs/screenshots/share-notice.png' });
});

test('copy-code', async ({ page }) => {
  await page.goto('chapters/attention/');
  const block = page.locator('article .code-block').first();
  await block.getByRole('button', { name: 'Copy code' }).click();
  await expect(block.getByRole('status')).toHaveText('Copied');
  await block.screenshot({ path: 'docs/screenshots/copy-code.png' });
});

test('print', async ({ page }) => {
  await page.goto('chapters/dropout-and-activations/');
  await setTheme(page, 'dark'); // prints light all the same
  await page.emulateMedia({ media: 'print' });
  // The widget's top (its one-line print note) with a little of the text above it.
  await page.locator('dropout-visualizer').evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -160);
  });
  await page.screenshot({ path: 'docs/screenshots/print-chapter.png' });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'docs/screenshots/print-chapter-top.png' });
});
