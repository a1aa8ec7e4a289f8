import AxeBuilder from '@axe-core/playwright';
import { test, expect, setTheme } from './fixtures';
import { builtPages } from './pages';

const pages = builtPages();

/** Run axe on the current page and list serious or critical violations with a few of their targets. */
async function seriousViolations(page: import('@playwright/test').Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(' | ')}`,
    );
}

test('the built site has pages to sweep', () => {
  expect(pages.length).toBeGreaterThanOrEqual(4);
});

test.describe('axe sweep', () => {
  // Chapters with several widgets take a while to analyse on a 2-core machine.
  test.setTimeout(120_000);

  for (const path of pages) {
    for (const theme of ['light', 'dark'] as const) {
      test(`axe: /${path} in ${theme} mode has no serious or critical violations`, async ({ page }) => {
        await page.goto(`./${path}`);
        await setTheme(page, theme);
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  }

  test.describe('at phone width', () => {
    test.use({ viewport: { width: 360, height: 740 } });
    for (const path of pages.filter((p) => p.startsWith('chapters/'))) {
      test(`axe: /${path} at 360 px has no serious or critical violations`, async ({ page }) => {
        await page.goto(`./${path}`);
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  });
});
