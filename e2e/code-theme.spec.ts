/**
 * Code blocks follow the theme from one rule (global.css picks --shiki-light or --shiki-dark with
 * light-dark()): the toggle, the system preference and print all give the right theme's colours; the cells'
 * editor (code-cell.css) follows color-scheme the same way.
 */
import type { Page } from '@playwright/test';
import { cell } from './cells-helpers';
import { expect, setTheme, test } from './fixtures';

/** The first highlighted code block's background and a keyword token's colour, as computed and as shiki wrote them. */
async function codeColours(page: Page) {
  return page
    .locator('main pre.astro-code')
    .first()
    .evaluate((pre) => {
      const probe = document.createElement('div');
      document.body.append(probe);
      /** A CSS colour as the browser computes it (so '#fff' and 'rgb(255, 255, 255)' compare equal). */
      const computed = (c: string) => {
        probe.style.color = c;
        return getComputedStyle(probe).color;
      };
      const token = [...pre.querySelectorAll<HTMLElement>('span[style*="--shiki-dark"]')].find(
        (s) => s.style.getPropertyValue('--shiki-light') !== s.style.getPropertyValue('--shiki-dark'),
      )!;
      const out = {
        bg: getComputedStyle(pre).backgroundColor,
        lightBg: computed(pre.style.getPropertyValue('--shiki-light-bg')),
        darkBg: computed(pre.style.getPropertyValue('--shiki-dark-bg')),
        fg: getComputedStyle(token).color,
        light: computed(token.style.getPropertyValue('--shiki-light')),
        dark: computed(token.style.getPropertyValue('--shiki-dark')),
      };
      probe.remove();
      return out;
    });
}

test('code blocks take the light theme, then the dark one from the toggle', async ({ page }) => {
  await page.goto('./chapters/start-here/');
  await setTheme(page, 'light');
  let c = await codeColours(page);
  expect(c.light).not.toBe(c.dark);
  expect([c.fg, c.bg]).toEqual([c.light, c.lightBg]);
  const pre = page.locator('main pre.astro-code').first();
  await pre.screenshot({ path: test.info().outputPath('code-light.png') });
  await setTheme(page, 'dark');
  c = await codeColours(page);
  expect([c.fg, c.bg]).toEqual([c.dark, c.darkBg]);
  await pre.screenshot({ path: test.info().outputPath('code-dark.png') });
  await page.setViewportSize({ width: 360, height: 800 });
  await page
    .locator('main pre.astro-code')
    .nth(1)
    .screenshot({ path: test.info().outputPath('code-dark-360.png') });
});

test('code blocks follow a dark system preference, and print in the light theme', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('./chapters/start-here/');
  let c = await codeColours(page);
  expect([c.fg, c.bg]).toEqual([c.dark, c.darkBg]);
  await page.emulateMedia({ media: 'print' });
  c = await codeColours(page);
  expect([c.fg, c.bg]).toEqual([c.light, c.lightBg]);
  await context.close();
});

test('the notebook cell’s editor colours its tokens like the code blocks, in both themes', async ({
  page,
}) => {
  await page.goto('./chapters/start-here/');
  const c = cell(page, 'softmax from lib, at three temperatures');
  await c.locator('[data-code-host]').click();
  await expect(c.getByRole('textbox', { name: /code editor/ })).toBeVisible({ timeout: 30_000 });
  const colours = () =>
    c.evaluate((el) =>
      ['.cm-editor', '.cm-gutters', '.tok-keyword', '.tok-string', '.tok-comment'].map(
        (s) => getComputedStyle(el.querySelector(s)!).color,
      ),
    );
  await setTheme(page, 'light');
  expect(await colours()).toEqual([
    'rgb(14, 17, 22)',
    'rgb(102, 112, 123)',
    'rgb(160, 17, 31)',
    'rgb(3, 37, 99)',
    'rgb(84, 93, 104)',
  ]);
  await setTheme(page, 'dark');
  expect(await colours()).toEqual([
    'rgb(240, 243, 246)',
    'rgb(158, 167, 179)',
    'rgb(255, 148, 146)',
    'rgb(173, 220, 255)',
    'rgb(189, 196, 204)',
  ]);
});
