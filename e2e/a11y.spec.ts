import { test, expect, setTheme } from './fixtures';
import { builtPages } from './pages';
import { axeViolations } from './widget-helpers';

const pages = builtPages();

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
        expect(await axeViolations(page)).toEqual([]);
      });
    }
  }

  test.describe('at phone width', () => {
    test.use({ viewport: { width: 360, height: 740 } });
    for (const path of pages.filter((p) => p.startsWith('chapters/'))) {
      test(`axe: /${path} at 360 px has no serious or critical violations`, async ({ page }) => {
        await page.goto(`./${path}`);
        expect(await axeViolations(page)).toEqual([]);
      });
    }
  });
});
