import { test, expect } from './fixtures';
import { builtPages, chapterPages, findOnPhone } from './pages';

const sideways = () => document.documentElement.scrollWidth - innerWidth;

test('no page scrolls sideways at 360 px (the capstone’s file pickers made it 396 px wide)', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const wide = await findOnPhone(browser, builtPages(), async (page) => {
    const overflow = await page.evaluate(sideways);
    return overflow > 0 ? [`${overflow} px too wide`] : [];
  });
  expect(wide).toEqual([]);
});

/** Inline formulas (KaTeX outside display math) whose boxes sit on more than one line. */
const splitMath = () =>
  [...document.querySelectorAll<HTMLElement>('.katex')]
    .filter((k) => !k.closest('.katex-display'))
    .filter((k) => {
      const tops = new Set([...k.getClientRects()].map((r) => Math.round(r.top / 4)));
      return tops.size > 1;
    })
    .map((k) => k.querySelector('annotation')?.textContent ?? k.textContent ?? '');

test('inline math never breaks mid-expression at 360 px', async ({ browser }) => {
  test.setTimeout(240_000);
  const broken = await findOnPhone(browser, builtPages(), (page) => page.evaluate(splitMath));
  expect(broken).toEqual([]);
});

/**
 * Inline code fragments (`<code>` outside listings) that run past their text column or the screen, with
 * every <details> answer opened. A scroll area (a wide table's card) may hold wider code: it scrolls itself.
 */
const inlineCodeOverflow = () => {
  document.querySelectorAll('details').forEach((d) => (d.open = true));
  const scrolls = (e: Element) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    return false;
  };
  const out: string[] = [];
  for (const code of document.querySelectorAll<HTMLElement>('main :not(pre) > code')) {
    if (scrolls(code) || code.getClientRects().length === 0) continue;
    let block = code.parentElement!;
    while (getComputedStyle(block).display.startsWith('inline')) block = block.parentElement!;
    const box = block.getBoundingClientRect();
    const style = getComputedStyle(block);
    const right = Math.min(
      innerWidth,
      box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth),
    );
    const worst = Math.max(...[...code.getClientRects()].map((r) => r.right));
    if (worst > right + 1)
      out.push(`“${code.textContent}” ends ${Math.round(worst - right)} px past its column`);
  }
  return out;
};

test('inline code stays inside its column at 360 px (chapter 12’s long PyTorch calls), answers opened', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const pages = chapterPages();
  expect(pages).toContain('chapters/what-comes-next/');
  let checked = 0;
  const wide = await findOnPhone(browser, pages, async (page) => {
    checked += await page.locator('main :not(pre) > code').count();
    const found = await page.evaluate(inlineCodeOverflow);
    const overflow = await page.evaluate(sideways);
    return overflow > 0 ? [...found, `${overflow} px too wide with the answers open`] : found;
  });
  expect(checked).toBeGreaterThan(100);
  expect(wide).toEqual([]);
});
