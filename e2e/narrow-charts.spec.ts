import { test, expect } from './fixtures';
import { chapterPages, findOnPhone } from './pages';

/** Smallest on-screen font size (px) of the visible text in each widget chart. */
const tinyChartText = () => {
  const found: string[] = [];
  for (const svg of document.querySelectorAll<SVGSVGElement>('.widget svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0 || !svg.getScreenCTM()) continue;
    let min = Infinity;
    let sample = '';
    for (const t of svg.querySelectorAll<SVGTextElement>('text')) {
      if (!t.textContent?.trim() || t.getClientRects().length === 0) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 1);
      if (px < min) [min, sample] = [px, t.textContent.trim()];
    }
    if (min < 8.5)
      found.push(
        `${svg.closest('.widget')?.localName} svg.${svg.getAttribute('class')}: ${min.toFixed(1)} px (“${sample}”)`,
      );
  }
  return found;
};

test('widget charts stay readable at 360 px (no chart text under 8.5 px)', async ({ browser }) => {
  test.setTimeout(240_000);
  const found = await findOnPhone(browser, chapterPages(), async (page) => {
    await page.waitForTimeout(1500); // let the widgets draw
    return page.evaluate(tinyChartText);
  });
  expect(found).toEqual([]);
});
