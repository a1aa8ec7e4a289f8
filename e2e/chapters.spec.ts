import { test, expect } from './fixtures';
import { chapterPages } from './pages';

const pages = chapterPages();

/** Same-origin URLs already fetched with their status, so each link is checked once per worker. */
const checked = new Map<string, number>();

test('the built site has chapter pages', () => {
  expect(pages.length).toBeGreaterThanOrEqual(1);
});

for (const path of pages) {
  test(`/${path}: heading, math, highlighted code, heading order and working links`, async ({ page }) => {
    const response = await page.goto(`./${path}`);
    expect(response?.status()).toBe(200);
    const main = page.locator('main');

    await expect(main.locator('h1')).toHaveCount(1);
    await expect(main.locator('h1')).not.toBeEmpty();

    // Math: KaTeX rendered at build time, and no formula failed to parse.
    expect(await main.locator('.katex').count(), 'KaTeX math on the page').toBeGreaterThan(0);
    await expect(main.locator('.katex-error')).toHaveCount(0);

    // Code: shiki highlighting with light and dark token colours.
    expect(await main.locator('pre.astro-code').count(), 'a highlighted code block').toBeGreaterThan(0);
    expect(await main.locator('pre.astro-code span[style*="--shiki-dark"]').count()).toBeGreaterThan(5);

    // Headings descend one level at a time from the h1.
    const levels = await main
      .locator('h1, h2, h3, h4, h5, h6')
      .evaluateAll((hs) => hs.map((h) => Number(h.tagName.slice(1))));
    expect(levels[0]).toBe(1);
    const skips = levels.flatMap((l, i) =>
      i > 0 && l - levels[i - 1] > 1 ? [`h${levels[i - 1]} → h${l}`] : [],
    );
    expect(skips, 'heading levels skipped').toEqual([]);

    // Sidebar, previous/next and in-article links to our own pages all resolve.
    const hrefs = await page
      .locator('nav[aria-label="Chapters"] a, nav.prev-next a, main article a[href]')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    const origin = new URL(page.url()).origin;
    const own = [...new Set(hrefs.map((h) => h.split('#')[0]).filter((h) => h.startsWith(origin)))];
    expect(own.length, 'the sidebar links somewhere').toBeGreaterThan(0);
    const broken: string[] = [];
    for (const href of own) {
      if (!checked.has(href)) checked.set(href, (await page.request.get(href)).status());
      if (checked.get(href) !== 200) broken.push(`${href} (${checked.get(href)})`);
    }
    expect(broken, 'links that do not resolve').toEqual([]);
  });
}

test('the bucketing widget recomputes padding from typed lengths and explains bad input', async ({
  page,
}) => {
  await page.goto('./chapters/what-comes-next/');
  const widget = page.locator('bucketing-lab');
  await widget.getByLabel('Batch size').fill('4');
  await widget.getByLabel('Bucket pool size').fill('100');
  await widget.getByLabel(/^Lengths/).fill('5, 23, 8, 14, 31, 9, 12, 27, 6, 18, 11, 20');
  const row = (name: string) =>
    widget.locator('table.summary tr', { has: page.getByRole('rowheader', { name }) });
  // The chapter's example: 184 real tokens; sorting pads 48 positions (232 computed, 20.7 %).
  await expect(row('Sort, then batch').locator('td')).toHaveText(['3', '184', '232', '48', '20.7%']);
  await expect(row('Bucketing (pools)').locator('td').nth(3)).toHaveText('48');
  await expect(widget.locator('table.batches').nth(1).locator('tbody tr')).toHaveCount(3);
  await widget.getByLabel('Batch size').fill('0');
  await expect(widget.getByRole('alert')).toHaveText(
    'Batch size must be a whole number from 1 to 512 (got “0”).',
  );
  await expect(widget.getByLabel('Batch size')).toHaveAttribute('aria-invalid', 'true');
  await widget.getByLabel('Batch size').fill('4');
  await widget.getByLabel(/^Lengths/).fill('5, <b>x</b>');
  await expect(widget.getByRole('alert')).toContainText('Lengths: entry 2');
  await expect(widget.getByRole('alert')).toContainText('<b>x</b>');
  await widget.getByLabel(/^Lengths/).fill('5, 0');
  await expect(widget.getByRole('alert')).toContainText('entry 2 (0) must be a whole number from 1 to 10000');
  await widget.getByLabel(/^Lengths/).fill('');
  await expect(widget.getByRole('alert')).toBeHidden();
  await expect(widget.locator('table.summary tbody tr')).toHaveCount(3);
});
