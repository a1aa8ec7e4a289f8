import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { builtPages, chapterPages } from './pages';

// What learners expect of a course site: copy buttons, print, link previews, a sitemap, a date.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const CODE_PAGE = 'chapters/attention/';

/** Make navigator.clipboard.writeText refuse, as without clipboard permission (readText still works). */
async function refuseClipboardApi(page: Page): Promise<void> {
  await page.addInitScript(() => {
    Object.defineProperty(navigator.clipboard, 'writeText', {
      value: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
    });
  });
}

test('every code block has a keyboard-reachable copy button that copies its code', async ({ page }) => {
  await page.goto(CODE_PAGE);
  const blocks = page.locator('article .code-block');
  const pres = page.locator('article pre.astro-code');
  expect(await pres.count()).toBeGreaterThan(0);
  await expect(blocks).toHaveCount(await pres.count());
  const block = blocks.first();
  const code = (await block.locator('pre').innerText()).replace(/\n$/, '');
  const button = block.getByRole('button', { name: 'Copy code' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(block.getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
});

test('a copy button works without the Clipboard API (execCommand fallback)', async ({ page }) => {
  await refuseClipboardApi(page);
  await page.goto(CODE_PAGE);
  const block = page.locator('article .code-block').nth(1);
  const code = (await block.locator('pre').innerText()).replace(/\n$/, '');
  await block.getByRole('button', { name: 'Copy code' }).click();
  await expect(block.getByRole('status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
});

test('a widget copy-link button falls back too, and says so for screen readers', async ({ page }) => {
  await refuseClipboardApi(page);
  await page.goto('chapters/start-here/');
  const w = page.locator('softmax-mini');
  await w.getByLabel('Temperature').fill('2');
  await w.getByRole('button', { name: 'Copy link to this state' }).click();
  await expect(w.getByRole('status')).toHaveText('Link copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/#w\.softmax-mini=1\./);
});

test('print emulation hides the chrome and keeps the chapter, its widgets and its links', async ({
  page,
}) => {
  await page.goto('chapters/dropout-and-activations/');
  await expect(page.locator('.site-header')).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  for (const chrome of [
    '.site-header',
    '.sidebar-col',
    '.toc-col',
    'reading-progress',
    '.prev-next',
    '.share-row',
  ]) {
    for (const el of await page.locator(chrome).all()) await expect(el).toBeHidden();
  }
  await expect(page.locator('article h1')).toBeVisible();
  await expect(page.locator('article pre').first()).toBeVisible();
  await expect(page.locator('.copy-code').first()).toBeHidden();
  // Widgets print as their current state, under a one-line note.
  const widget = page.locator('dropout-visualizer');
  await expect(widget.locator('table').first()).toBeVisible();
  const note = await widget.evaluate((el) => getComputedStyle(el, '::before').content);
  expect(note).toContain('Live widget');
  // Links are followed by their address.
  const link = page.locator('article a[href]:not([href^="#"])').first();
  const after = await link.evaluate((a) => getComputedStyle(a, '::after').content);
  expect(after).not.toBe('none');
  expect(after).toContain(await link.getAttribute('href'));
  await page.emulateMedia({ media: 'screen' });
  await expect(page.locator('.site-header')).toBeVisible();
});

test('every page has a meta description and Open Graph tags with absolute URLs', async ({ page }) => {
  test.setTimeout(240_000); // every page, one after another, on a busy 2-core machine
  for (const path of builtPages().filter((p) => p !== '404.html')) {
    await page.goto(path);
    const meta = (sel: string) => page.locator(sel).getAttribute('content');
    const description = await meta('meta[name="description"]');
    expect(description?.length, path).toBeGreaterThan(20);
    expect(await meta('meta[property="og:description"]'), path).toBe(description);
    expect(await meta('meta[property="og:title"]'), path).toBe(await page.title());
    const ogUrl = new URL((await meta('meta[property="og:url"]')) ?? '');
    expect(ogUrl.pathname, path).toBe(new URL(page.url()).pathname);
    if (path.startsWith('chapters/')) {
      expect(await meta('meta[property="og:type"]'), path).toBe('article');
      expect(description, path).toBe((await page.locator('article > p.summary').innerText()).trim());
    }
  }
});

test('the sitemap lists every page as an absolute URL', async ({ page, request }) => {
  const response = await request.get('sitemap.xml');
  expect(response.ok()).toBe(true);
  expect(response.headers()['content-type']).toContain('xml');
  const text = await response.text();
  const locs = [...text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  await page.goto('');
  const base = new URL(page.url()).pathname;
  const expected = builtPages()
    .filter((p) => p !== '404.html')
    .map((p) => base + p);
  expect(locs.sort()).toEqual(expected.sort());
  const robots = await (await request.get('robots.txt')).text();
  expect(robots).toMatch(/Sitemap: https?:\/\/\S+sitemap\.xml/);
});

test('each chapter says when it was last updated (from git)', async ({ page }) => {
  test.setTimeout(240_000);
  for (const path of chapterPages()) {
    await page.goto(path);
    const time = page.locator('article .updated time');
    await expect(time, path).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}$/);
    await expect(time, path).toHaveText(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
  }
});
