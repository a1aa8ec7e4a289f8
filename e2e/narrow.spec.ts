import { test, expect } from './fixtures';
import { builtPages } from './pages';

test('no page scrolls sideways at 360 px (the capstone’s file pickers made it 396 px wide)', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const wide: string[] = [];
  for (const path of builtPages()) {
    await page.goto(`./${path}`);
    await page.waitForLoadState('load');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    if (overflow > 0) wide.push(`${path}: ${overflow} px too wide`);
  }
  expect(wide).toEqual([]);
  await context.close();
});

test('inline math never breaks mid-expression at 360 px', async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const broken: string[] = [];
  for (const path of builtPages()) {
    await page.goto(`./${path}`);
    await page.waitForLoadState('load');
    const split = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.katex')]
        .filter((k) => !k.closest('.katex-display'))
        .filter((k) => {
          const tops = new Set([...k.getClientRects()].map((r) => Math.round(r.top / 4)));
          return tops.size > 1;
        })
        .map((k) => k.querySelector('annotation')?.textContent ?? k.textContent ?? ''),
    );
    broken.push(...split.map((t) => `${path}: ${t}`));
  }
  expect(broken).toEqual([]);
  await context.close();
});
