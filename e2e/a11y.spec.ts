import AxeBuilder from '@axe-core/playwright';
import { test, expect, setTheme } from './fixtures';
import { builtPages } from './pages';

const pages = builtPages();

test('the built site has pages to sweep', () => {
  expect(pages.length).toBeGreaterThanOrEqual(4);
});

for (const path of pages) {
  for (const theme of ['light', 'dark'] as const) {
    test(`axe: /${path} in ${theme} mode has no serious or critical violations`, async ({ page }) => {
      await page.goto(`./${path}`);
      await setTheme(page, theme);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.id} (${v.impact}): ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 5)
              .join(' | ')}`,
        );
      expect(bad).toEqual([]);
    });
  }
}
