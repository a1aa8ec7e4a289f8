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
